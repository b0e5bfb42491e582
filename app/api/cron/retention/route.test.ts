import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { setEnv } from "@/tests/support/env";
import { GET } from "./route";

const SECRET = "cron-secret-for-tests-0123456789";

const call = (authorization?: string) =>
  GET(new Request("http://localhost/api/cron/retention", { headers: authorization ? { authorization } : {} }));

describe("GET /api/cron/retention", () => {
  it("answers 401 without the cron secret, and deletes nothing", async () => {
    const [old] = await db
      .insert(schema.contactMessages)
      .values({ name: "Old", email: "old@example.test", subject: "s", message: "m", createdAt: new Date(0) })
      .returning();
    setEnv({ CRON_SECRET: SECRET });

    expect((await call()).status).toBe(401);
    expect((await call("Bearer wrong-secret-0123456789")).status).toBe(401);
    expect(await db.select().from(schema.contactMessages).where(eq(schema.contactMessages.id, old!.id))).toHaveLength(
      1,
    );
  });

  it("applies the configured retention with the right token", async () => {
    setEnv({ CRON_SECRET: SECRET, CONTACT_RETENTION_DAYS: "10" });
    const day = 24 * 60 * 60_000;
    const rows = await db
      .insert(schema.contactMessages)
      .values([
        { name: "A", email: "a@example.test", subject: "s", message: "m", createdAt: new Date(Date.now() - 11 * day) },
        { name: "B", email: "b@example.test", subject: "s", message: "m", createdAt: new Date(Date.now() - 9 * day) },
      ])
      .returning();

    const response = await call(`Bearer ${SECRET}`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, contactMessagesDeleted: expect.any(Number) });
    const left = await db.select({ id: schema.contactMessages.id }).from(schema.contactMessages);
    expect(left.map((row) => row.id)).not.toContain(rows[0]!.id);
    expect(left.map((row) => row.id)).toContain(rows[1]!.id);
  });
});
