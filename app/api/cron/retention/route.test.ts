import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

const SECRET = "cron-secret-for-tests-0123456789";

// The embedded database starts (and migrates) on first use: pay that here, not inside the first test's 20 s.
beforeAll(async () => {
  const { db, schema } = await import("@/lib/db");
  await db.select().from(schema.user).limit(1);
}, 120_000);

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** `env` is read at import: load the route under the given CRON_SECRET and retention days. */
async function loadRoute(secret: string, env: Record<string, string> = {}) {
  vi.stubEnv("CRON_SECRET", secret);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  return (await import("./route")).GET;
}

const call = (GET: (req: Request) => Promise<Response>, authorization?: string) =>
  GET(new Request("http://localhost/api/cron/retention", { headers: authorization ? { authorization } : {} }));

describe("GET /api/cron/retention", () => {
  it("answers 401 without the cron secret, and deletes nothing", async () => {
    const { db, schema } = await import("@/lib/db");
    const [old] = await db
      .insert(schema.contactMessages)
      .values({ name: "Old", email: "old@example.test", subject: "s", message: "m", createdAt: new Date(0) })
      .returning();
    const GET = await loadRoute(SECRET);

    expect((await call(GET)).status).toBe(401);
    expect((await call(GET, "Bearer wrong-secret-0123456789")).status).toBe(401);
    expect(await db.select().from(schema.contactMessages).where(eq(schema.contactMessages.id, old!.id))).toHaveLength(
      1,
    );
  });

  it("applies the configured retention with the right token", async () => {
    const GET = await loadRoute(SECRET, { CONTACT_RETENTION_DAYS: "10" });
    const { db, schema } = await import("@/lib/db");
    const day = 24 * 60 * 60_000;
    const rows = await db
      .insert(schema.contactMessages)
      .values([
        { name: "A", email: "a@example.test", subject: "s", message: "m", createdAt: new Date(Date.now() - 11 * day) },
        { name: "B", email: "b@example.test", subject: "s", message: "m", createdAt: new Date(Date.now() - 9 * day) },
      ])
      .returning();

    const response = await call(GET, `Bearer ${SECRET}`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, contactMessagesDeleted: expect.any(Number) });
    const left = await db.select({ id: schema.contactMessages.id }).from(schema.contactMessages);
    expect(left.map((row) => row.id)).not.toContain(rows[0]!.id);
    expect(left.map((row) => row.id)).toContain(rows[1]!.id);
  });
});
