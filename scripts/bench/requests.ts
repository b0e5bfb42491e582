/** What the load generators send: signed Stripe events (each one new, as in production) and the contact form's message. */
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { webhookSecret } from "./settings";
import type { WrkRequest } from "./wrk";

const stripe = new Stripe("sk_test_bench_signing_only");

/** A subscription update for a customer this app does not know: verified, stored, then processed (the handler looks the customer up). */
export function signedStripeEvent() {
  const payload = JSON.stringify({
    id: `evt_bench_${randomUUID()}`,
    object: "event",
    type: "customer.subscription.updated",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    api_version: Stripe.API_VERSION,
    data: {
      object: {
        id: "sub_bench",
        object: "subscription",
        customer: "cus_bench_unknown",
        status: "active",
        metadata: {},
        items: { data: [] },
      },
    },
  });
  return { payload, signature: stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }) };
}

export const contactBody = JSON.stringify({
  name: "Bench",
  email: "bench@example.com",
  subject: "Load test",
  message: "Measuring the contact route.",
});

const stripeHeaders = (signature: string) => ({ "content-type": "application/json", "stripe-signature": signature });

/** `count` distinct signed Stripe events as a wrk requests file: each delivery is a new event, as in production. */
export function signedEventsFile(count: number) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "bench-events-")), "events.tsv");
  const lines = Array.from({ length: count }, () => {
    const { payload, signature } = signedStripeEvent();
    return `${JSON.stringify(stripeHeaders(signature))}\t${payload}`;
  });
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/**
 * Distinct signed events POSTed to `path`, a new file for every run (wrk starts each run at its first line),
 * enough for 3,000 req/s; signed just before the run, well within Stripe's 300 s tolerance.
 */
export const signedEvents = (path: string) => (_context: unknown, runSeconds: number) => ({
  path,
  requestsFile: signedEventsFile(runSeconds * 3000),
});

/** The contact form's message, as JSON to `path`. */
export const contactPost = (path: string): WrkRequest => ({
  method: "POST",
  path,
  headers: { "content-type": "application/json" },
  body: contactBody,
});
