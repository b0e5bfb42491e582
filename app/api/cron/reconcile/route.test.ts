import { describe, expect, it } from "vitest";
import { setEnv } from "@/tests/support/env";
import { GET } from "./route";

const SECRET = "cron-secret-for-tests-0123456789";

const call = (authorization?: string) =>
  GET(new Request("http://localhost/api/cron/reconcile", { headers: authorization ? { authorization } : {} }));

describe("GET /api/cron/reconcile", () => {
  it("answers 401 without the cron secret", async () => {
    setEnv({ CRON_SECRET: SECRET });
    expect((await call()).status).toBe(401);
    expect((await call("Bearer wrong-secret-0123456789")).status).toBe(401);
  });

  // The test process has no STRIPE_SECRET_KEY, so lib/billing/stripe.ts holds no client.
  it("does nothing, successfully, while billing is not configured", async () => {
    setEnv({ CRON_SECRET: SECRET });
    const response = await call(`Bearer ${SECRET}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      subscriptions: { status: "skipped", reason: "billing is not configured (STRIPE_SECRET_KEY unset)" },
    });
  });
});
