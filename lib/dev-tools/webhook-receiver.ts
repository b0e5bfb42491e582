import "server-only";
import { like } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { schema, type Executor } from "@/lib/db";

/**
 * /dev/webhook-receiver: a receiver for the app's own outbound webhooks, so the whole loop works
 * with no account anywhere. Point an endpoint at `<app>/dev/webhook-receiver/inbox`: each delivery
 * is verified as a customer's receiver would (the `standardwebhooks` library, with the secret of
 * the endpoints whose URL points here, the previous one too during a rotation) and listed. Kept in
 * this process's memory (the newest 100): a dev tool, not a store.
 */
export const DEV_RECEIVER_PATH = "/dev/webhook-receiver/inbox";
const KEPT = 100;
const BODY_KEPT = 4096;

export type DevWebhookArrival = {
  receivedAt: Date;
  webhookId: string;
  type: string;
  verified: boolean;
  /** The endpoint whose secret verified it. */
  endpointId: string | null;
  /** Why it did not verify. */
  reason: string | null;
  body: string;
  /** The status it was answered with (`?status=503` makes it fail on purpose). */
  answered: number;
};

const store = globalThis as unknown as { __devWebhookArrivals?: DevWebhookArrival[] };
const arrivals = (store.__devWebhookArrivals ??= []);

export function listDevWebhookArrivals(): DevWebhookArrival[] {
  return [...arrivals].reverse();
}

/** Verifies and records one delivery; answers 200 when it verified (or the `?status=` asked for), 401 when not. */
export async function receiveDevWebhook(db: Executor, rawBody: string, headers: Headers, url: URL) {
  const signed = {
    "webhook-id": headers.get("webhook-id") ?? "",
    "webhook-timestamp": headers.get("webhook-timestamp") ?? "",
    "webhook-signature": headers.get("webhook-signature") ?? "",
  };
  const endpoints = await db
    .select({
      id: schema.webhookEndpoints.id,
      url: schema.webhookEndpoints.url,
      secret: schema.webhookEndpoints.secret,
      previousSecret: schema.webhookEndpoints.previousSecret,
      previousSecretExpiresAt: schema.webhookEndpoints.previousSecretExpiresAt,
    })
    .from(schema.webhookEndpoints)
    .where(like(schema.webhookEndpoints.url, `%${DEV_RECEIVER_PATH}%`));
  let endpointId: string | null = null;
  let reason: string | null = endpoints.length
    ? "No endpoint's secret verifies the signature."
    : "No endpoint points here.";
  for (const endpoint of endpoints) {
    if (new URL(endpoint.url).pathname !== url.pathname) continue;
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date())
      secrets.push(endpoint.previousSecret);
    for (const secret of secrets) {
      try {
        new Webhook(secret).verify(rawBody, signed);
        endpointId = endpoint.id;
        reason = null;
      } catch (error) {
        if (/timestamp/i.test(String(error))) reason = "The timestamp is too old or too new.";
      }
      if (endpointId) break;
    }
    if (endpointId) break;
  }
  let type = "";
  try {
    type = String((JSON.parse(rawBody) as { type?: unknown }).type ?? "");
  } catch {
    reason ??= "The body is not JSON.";
  }
  const asked = Number(url.searchParams.get("status"));
  const answered = !endpointId ? 401 : asked >= 200 && asked <= 599 ? asked : 200;
  arrivals.push({
    receivedAt: new Date(),
    webhookId: signed["webhook-id"],
    type,
    verified: Boolean(endpointId),
    endpointId,
    reason,
    body: rawBody.slice(0, BODY_KEPT),
    answered,
  });
  if (arrivals.length > KEPT) arrivals.splice(0, arrivals.length - KEPT);
  return { verified: Boolean(endpointId), status: answered, reason };
}
