import { describe, expect, it } from "vitest";
import { setEnv } from "@/tests/support/env";
import {
  findEvent,
  handledCount,
  minutesAgo,
  recordHandled,
  registerTestProvider,
  storeEvent,
} from "@/tests/support/webhooks";
import { GET } from "./route";

const SECRET = "cron-secret-for-tests-0123456789";

const call = (authorization?: string) =>
  GET(new Request("http://localhost/api/cron/sweep", { headers: authorization ? { authorization } : {} }));

describe("GET /api/cron/sweep", () => {
  it("answers 401 without a bearer token", async () => {
    setEnv({ CRON_SECRET: SECRET });
    const response = await call();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "Unauthorized", reason: "cron-secret-required" });
  });

  it("answers 401 to a wrong bearer token, whatever its length", async () => {
    setEnv({ CRON_SECRET: SECRET });
    for (const wrong of [`Bearer ${SECRET.slice(0, -1)}x`, "Bearer short", `Bearer ${SECRET}${SECRET}`, SECRET]) {
      expect((await call(wrong)).status).toBe(401);
    }
  });

  it("refuses every call when CRON_SECRET is unset", async () => {
    setEnv({ CRON_SECRET: undefined });
    for (const attempt of [undefined, "Bearer ", "Bearer undefined", `Bearer ${SECRET}`]) {
      expect((await call(attempt)).status).toBe(401);
    }
  });

  it("runs the sweep with the right token: a forgotten pending event gets processed", async () => {
    setEnv({ CRON_SECRET: SECRET });
    const provider = registerTestProvider({ "thing.happened": recordHandled });
    const { eventId } = await storeEvent(provider, { receivedAt: minutesAgo(5) });

    const response = await call(`Bearer ${SECRET}`);

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
