import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  findEvent,
  handledCount,
  minutesAgo,
  recordHandled,
  registerTestProvider,
  storeEvent,
} from "@/tests/support/webhooks";

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

/** `env` is read at import: load the route (and the registry it sweeps with) under the given CRON_SECRET. */
async function loadRoute(secret: string | undefined) {
  vi.stubEnv("CRON_SECRET", secret ?? "");
  vi.resetModules();
  const { GET } = await import("./route");
  const { registerWebhookProvider } = await import("@/lib/webhooks/registry");
  return { GET, registerWebhookProvider };
}

const call = (GET: (req: Request) => Promise<Response>, authorization?: string) =>
  GET(new Request("http://localhost/api/cron/sweep", { headers: authorization ? { authorization } : {} }));

describe("GET /api/cron/sweep", () => {
  it("answers 401 without a bearer token", async () => {
    const { GET } = await loadRoute(SECRET);
    const response = await call(GET);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "Unauthorized" });
  });

  it("answers 401 to a wrong bearer token, whatever its length", async () => {
    const { GET } = await loadRoute(SECRET);
    for (const wrong of [`Bearer ${SECRET.slice(0, -1)}x`, "Bearer short", `Bearer ${SECRET}${SECRET}`, SECRET]) {
      expect((await call(GET, wrong)).status).toBe(401);
    }
  });

  it("refuses every call when CRON_SECRET is unset", async () => {
    const { GET } = await loadRoute(undefined);
    for (const attempt of [undefined, "Bearer ", "Bearer undefined", `Bearer ${SECRET}`]) {
      expect((await call(GET, attempt)).status).toBe(401);
    }
  });

  it("runs the sweep with the right token: a forgotten pending event gets processed", async () => {
    const { GET, registerWebhookProvider } = await loadRoute(SECRET);
    const provider = registerTestProvider({ "thing.happened": recordHandled }, registerWebhookProvider);
    const { eventId } = await storeEvent(provider, { receivedAt: minutesAgo(5) });

    const response = await call(GET, `Bearer ${SECRET}`);

    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      ok: true,
      webhookEvents: { picked: expect.any(Number), processed: expect.any(Number) },
      emails: { picked: expect.any(Number) },
    });
    expect(body.webhookEvents.processed).toBeGreaterThanOrEqual(1);
    expect(await findEvent(provider, eventId)).toMatchObject({ status: "processed", attempts: 1 });
    expect(await handledCount(eventId)).toBe(1);
  });
});
