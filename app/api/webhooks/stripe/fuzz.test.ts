import fc from "fast-check";
import { and, eq, inArray } from "drizzle-orm";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { anyBody, fuzzRuns, headerValue } from "@/tests/support/fuzz";
import { POST } from "./route";

/** A body that looks like a Stripe event, so forged signatures meet a plausible payload. */
const eventLike = fc
  .record({
    id: fc.uuid().map((id) => `evt_fuzz_${id}`),
    type: fc.constantFrom("checkout.session.completed", "invoice.payment_failed", "x"),
  })
  .map((event) => ({
    id: event.id,
    body: JSON.stringify({ id: event.id, object: "event", type: event.type, created: 1, data: { object: {} } }),
  }));

/** Signature headers: absent-looking, random, or real but made with another secret or an old timestamp. */
const signature = fc.oneof(
  headerValue,
  fc.constant("t=1,v1=00"),
  fc.record({
    secret: fc.constantFrom("whsec_attacker", "whsec_other"),
    timestamp: fc.option(fc.integer({ min: 0, max: 1_000_000_000 }), { nil: undefined }),
  }),
);

describe("POST /api/webhooks/stripe under random input", () => {
  it("answers 400 to anything not signed with our secret, and stores nothing", async () => {
    const ids: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyBody.map((body) => ({ id: "", body })),
          eventLike,
        ),
        signature,
        async ({ id, body }, sig) => {
          if (id) ids.push(id);
          const header =
            typeof sig === "string"
              ? sig
              : Stripe.webhooks.generateTestHeaderString({
                  payload: typeof body === "string" ? body : body.toString("utf8"),
                  secret: sig.secret,
                  timestamp: sig.timestamp,
                });
          const response = await POST(
            new Request("http://localhost/api/webhooks/stripe", {
              method: "POST",
              headers: { "content-type": "application/json", "stripe-signature": header },
              body,
            }),
          );
          expect(response.status).toBe(400);
        },
      ),
      fuzzRuns,
    );
    expect(ids.length).toBeGreaterThan(0);
    const stored = await db
      .select({ id: schema.webhookEvents.id })
      .from(schema.webhookEvents)
      .where(and(eq(schema.webhookEvents.provider, "stripe"), inArray(schema.webhookEvents.eventId, ids)));
    expect(stored).toEqual([]);
  });
});
