import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, schema } from "@/lib/db";
import { webhookRoute } from "@/lib/webhooks/receive";
import { sampleEvent, signedStripeDelivery } from "@/lib/dev-tools/stripe-events";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { findEvent } from "@/tests/support/webhooks";
import { POST } from "./route";

const url = "http://localhost/api/webhooks/stripe";

/** An event type the app has no handler for, so processing it touches nothing but the inbox. */
const chargeRefunded = () =>
  sampleEvent("charge.refunded", { id: `ch_test${randomUUID().slice(0, 8)}`, object: "charge", amount_refunded: 900 });

function delivery(body: string, headers: Record<string, string>) {
  return new Request(url, { method: "POST", body, headers });
}

function signed(event: object, options: { secret?: string; timestamp?: number } = {}) {
  const { body, headers } = signedStripeDelivery(event, options);
  return delivery(body, headers);
}

describe("POST /api/webhooks/stripe", () => {
  it("stores a correctly signed event, answers 200 at once, and processes it after the response", async () => {
    const event = chargeRefunded();

    const response = await POST(signed(event));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    expect(await findEvent("stripe", event.id)).toMatchObject({
      type: "charge.refunded",
      status: "pending",
      payload: event,
    });
    expect(await flushAfterResponse()).toBe(1);
    // A type without a handler is acknowledged and marked done, never retried.
    expect(await findEvent("stripe", event.id)).toMatchObject({ status: "processed", attempts: 1, lastError: null });
  });

  const rejected: [string, () => { event: { id: string }; request: Request }][] = [
    [
      "signed with another secret",
      () => {
        const event = chargeRefunded();
        return { event, request: signed(event, { secret: "whsec_someone_elses_secret" }) };
      },
    ],
    [
      "signed more than 300 s ago (a replayed capture)",
      () => {
        const event = chargeRefunded();
        return { event, request: signed(event, { timestamp: Math.floor(Date.now() / 1000) - 301 }) };
      },
    ],
    [
      "changed after signing",
      () => {
        const event = chargeRefunded();
        const { body, headers } = signedStripeDelivery(event);
        return { event, request: delivery(body.replace('"amount_refunded":900', '"amount_refunded":90000'), headers) };
      },
    ],
    [
      "without a stripe-signature header",
      () => {
        const event = chargeRefunded();
        return { event, request: delivery(JSON.stringify(event), { "content-type": "application/json" }) };
      },
    ],
  ];

  it.each(rejected)("answers 400 to an event %s and stores nothing", async (_, make) => {
    const { event, request } = make();

    const response = await POST(request);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "Invalid webhook signature.", reason: "bad-signature" });
    expect(await findEvent("stripe", event.id)).toBeUndefined();
    expect(await flushAfterResponse()).toBe(0);
  });

  it("acknowledges a redelivered event without processing it again", async () => {
    const event = chargeRefunded();

    const first = await POST(signed(event));
    expect(await flushAfterResponse()).toBe(1);
    const second = await POST(signed(event));

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.json()).toEqual({ received: true });
    expect(await flushAfterResponse()).toBe(0);
    expect(await findEvent("stripe", event.id)).toMatchObject({ status: "processed", attempts: 1 });
  });
});

describe("on real PostgreSQL", () => {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    console.info(
      "[tests] skipped: 50 concurrent deliveries on separate connections need real PostgreSQL (set DATABASE_URL)",
    );

  const pools = databaseUrl ? Array.from({ length: 10 }, () => createPostgresDatabase(databaseUrl, { max: 3 })) : [];
  afterAll(() => Promise.all(pools.map((pool) => pool.close())));

  it.skipIf(!databaseUrl)("50 concurrent deliveries of one event store it once and process it once", async () => {
    const event = chargeRefunded();
    const { body, headers } = signedStripeDelivery(event);
    // Open the connections first, so the deliveries race for real.
    await Promise.all(
      pools.map(({ db }) => db.select({ id: schema.webhookEvents.id }).from(schema.webhookEvents).limit(1)),
    );

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        webhookRoute("stripe", pools[i % pools.length]!.db)(delivery(body, headers)),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    // Only the one delivery that stored the event queued a job for it.
    expect(await flushAfterResponse()).toBe(1);
    expect(await findEvent("stripe", event.id)).toMatchObject({ status: "processed", attempts: 1 });
  });
});

describe("POST /api/webhooks/stripe: verified events Postgres cannot store as JSON", () => {
  it.each([
    ["a NUL character", "Tomato\u0000soup"],
    ["a lone surrogate", "Tomato\ud800soup"],
  ])(
    "acknowledges an event holding %s, keeps its raw body whole and marks it dead with the reason",
    async (_, text) => {
      const event = sampleEvent("charge.refunded", {
        id: `ch_${randomUUID().slice(0, 8)}`,
        object: "charge",
        description: text,
      });
      const { body, headers } = signedStripeDelivery(event);

      const responses = [await POST(delivery(body, headers)), await POST(delivery(body, headers))];

      // Stripe would retry a 5xx for three days and then disable the endpoint: retrying cannot fix this, so 200.
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      const stored = await findEvent("stripe", event.id);
      expect(stored).toMatchObject({ type: "charge.refunded", status: "dead" });
      expect(stored?.lastError).toMatch(/cannot store/);
      expect((stored?.payload as { rawBody: string }).rawBody).toBe(body);
      expect(JSON.parse((stored?.payload as { rawBody: string }).rawBody)).toEqual(event);
      // Nothing is queued for it.
      expect(await flushAfterResponse()).toBe(0);
    },
  );
});
