import { createHmac, timingSafeEqual } from "node:crypto";
import { after } from "next/server";
import { sql } from "../../../db";

/**
 * A bare route doing the project's webhook work in the same statements: verify
 * Stripe's signature on the raw body, store the event (one INSERT), answer, and
 * after the response claim it, look its customer up and mark it processed in a
 * transaction. No Stripe SDK, ORM, logging, job queue or retry bookkeeping.
 */
export async function POST(request) {
  const body = await request.text();
  if (!verified(body, request.headers.get("stripe-signature") ?? "")) {
    return Response.json({ error: "bad signature" }, { status: 400 });
  }
  const event = JSON.parse(body);
  const [stored] = await sql`
    insert into webhook_events (provider, event_id, type, payload)
    values ('floor', ${event.id}, ${event.type}, ${sql.json(event)})
    on conflict (provider, event_id) do nothing returning id`;
  if (stored) after(() => processEvent(event.id));
  return Response.json({ received: true });
}

function verified(body, header) {
  const parts = Object.fromEntries(header.split(",").map((part) => part.split("=")));
  if (!parts.t || !parts.v1) return false;
  const expected = createHmac("sha256", process.env.STRIPE_WEBHOOK_SECRET ?? "")
    .update(`${parts.t}.${body}`)
    .digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function processEvent(eventId) {
  const [event] = await sql`
    update webhook_events set status = 'processing', locked_at = now(), next_attempt_at = null, attempts = attempts + 1
    where provider = 'floor' and event_id = ${eventId} and status = 'pending'
    returning *`;
  if (!event) return;
  await sql.begin(async (tx) => {
    await tx`select id from "user" where stripe_customer_id = ${event.payload.data.object.customer}`;
    await tx`
      update webhook_events set status = 'processed', processed_at = now(), locked_at = null, last_error = null
      where id = ${event.id} and status = 'processing' and locked_at = ${event.locked_at}
      returning id`;
  });
}
