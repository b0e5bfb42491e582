import { afterEach, describe, expect, it, vi } from "vitest";

const SECRET = "cron-secret-for-tests-0123456789";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** `env` is read at import: load the route under the given CRON_SECRET, without STRIPE_SECRET_KEY. */
async function loadRoute(secret: string) {
  vi.stubEnv("CRON_SECRET", secret);
  vi.stubEnv("STRIPE_SECRET_KEY", "");
  vi.resetModules();
  return (await import("./route")).GET;
}

const call = (GET: (req: Request) => Promise<Response>, authorization?: string) =>
  GET(new Request("http://localhost/api/cron/reconcile", { headers: authorization ? { authorization } : {} }));

describe("GET /api/cron/reconcile", () => {
  it("answers 401 without the cron secret", async () => {
    const GET = await loadRoute(SECRET);
    expect((await call(GET)).status).toBe(401);
    expect((await call(GET, "Bearer wrong-secret-0123456789")).status).toBe(401);
  });

  it("does nothing, successfully, while billing is not configured", async () => {
    const GET = await loadRoute(SECRET);
    const response = await call(GET, `Bearer ${SECRET}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      subscriptions: { status: "skipped", reason: "billing is not configured (STRIPE_SECRET_KEY unset)" },
    });
  });
});
