import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresDatabase } from "@/lib/db";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { findEvent, handledCount, recordHandled, registerTestProvider } from "@/tests/support/webhooks";
import { webhookRoute } from "./receive";
import type { WebhookVerifier } from "./types";

const SECRET = "test-webhook-secret";
const sign = (body: string) => createHmac("sha256", SECRET).update(body).digest("hex");

/** A provider's signature check, the way Stripe's or Svix's work: an HMAC of the raw body. */
const verify: WebhookVerifier = (rawBody, headers) => {
  const expected = Buffer.from(sign(rawBody));
  const given = Buffer.from(headers.get("x-test-signature") ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("signature mismatch");
  const event = JSON.parse(rawBody) as { id: string; type: string };
  return { id: event.id, type: event.type, payload: event };
};

const provider = registerTestProvider({ "thing.happened": recordHandled }, { verify });
const receive = webhookRoute(provider);

function delivery(event: object, { signature, requestId }: { signature?: string; requestId?: string } = {}) {
  const body = JSON.stringify(event);
  const headers = new Headers({ "content-type": "application/json", "x-test-signature": signature ?? sign(body) });
  if (requestId) headers.set("x-request-id", requestId);
  return new Request("http://localhost/api/webhooks/test", { method: "POST", body, headers });
}

const newEvent = () => ({ id: `evt_${randomUUID()}`, type: "thing.happened", data: { amount: 1200 } });

describe("webhookRoute", () => {
  it("stores a verified event, acknowledges it, and processes it after the response", async () => {
    const event = newEvent();
    const response = await receive(delivery(event, { requestId: "req_abc-123" }));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    expect(response.headers.get("x-request-id")).toBe("req_abc-123");
    // Acknowledged before processing: the row is stored and still pending.
    expect(await findEvent(provider, event.id)).toMatchObject({
      type: "thing.happened",
      status: "pending",
      payload: event,
      requestId: "req_abc-123",
    });

    expect(await flushAfterResponse()).toBe(1);
    expect(await findEvent(provider, event.id)).toMatchObject({ status: "processed", attempts: 1 });
    expect(await handledCount(event.id)).toBe(1);
  });

  it("answers 400 to a bad signature and stores nothing", async () => {
    const event = newEvent();
    const response = await receive(delivery(event, { signature: sign("something else") }));

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "Invalid webhook signature.", reason: "bad-signature" });
    expect(await findEvent(provider, event.id)).toBeUndefined();
    expect(await flushAfterResponse()).toBe(0);
  });

  it("answers 413 to a body over 1 MiB, before verifying or storing it", async () => {
    const event = { ...newEvent(), data: { padding: "x".repeat(1024 * 1024) } };
    const response = await receive(delivery(event));
    expect(response.status).toBe(413);
    expect(await findEvent(provider, event.id)).toBeUndefined();
  });

  it("acknowledges a duplicate delivery without processing it again", async () => {
    const event = newEvent();
    const first = await receive(delivery(event));
    expect(await flushAfterResponse()).toBe(1);
    const second = await receive(delivery(event));
    // Nothing new to do: no job is queued for the redelivery.
    expect(await flushAfterResponse()).toBe(0);

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.json()).toEqual({ received: true });
    expect(await handledCount(event.id)).toBe(1);
    expect(await findEvent(provider, event.id)).toMatchObject({ status: "processed", attempts: 1 });
  });

  describe("when the database is unavailable", () => {
    // Nothing listens on port 1: the real postgres.js client fails to connect.
    const unreachable = createPostgresDatabase("postgres://postgres@127.0.0.1:1/unreachable", { connect_timeout: 2 });
    afterAll(() => unreachable.close());

    it("answers 503 so the provider delivers the event again later", async () => {
      const event = newEvent();
      const response = await webhookRoute(provider, unreachable.db)(delivery(event));

      expect(response.status).toBe(503);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await response.json()).toMatchObject({ error: "Temporarily unavailable, please retry." });
      expect(await findEvent(provider, event.id)).toBeUndefined();
      expect(await flushAfterResponse()).toBe(0);
    });
  });
});
