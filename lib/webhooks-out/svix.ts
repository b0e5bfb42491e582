import "server-only";
import { Svix } from "svix";
import { env } from "@/lib/core/env";
import type { WebhookMessage } from "@/lib/db/schema";

/** Svix's API calls: well inside the sweeper's budget, with the client's own retry of a 5xx. */
export const SVIX_TIMEOUT_MS = 10_000;

/** With SVIX_API_KEY, Svix delivers the messages and holds the endpoints (its app portal); without, the app does. */
export function svixConfigured(): boolean {
  return Boolean(env.SVIX_API_KEY);
}

function svixClient(): Svix {
  if (!env.SVIX_API_KEY) throw new Error("SVIX_API_KEY is not set");
  return new Svix(env.SVIX_API_KEY, {
    serverUrl: env.SVIX_SERVER_URL,
    requestTimeout: SVIX_TIMEOUT_MS,
    numRetries: 1,
  });
}

/**
 * The team's Svix application: its uid is the team's id, so no id needs storing, and Svix creates
 * it with the first message or portal visit (`application` in the request).
 */
const application = (team: { id: string; name: string }) => ({ uid: team.id, name: team.name });

/**
 * Hands one message to Svix, which signs and delivers it to the team's endpoints there. The
 * message id is both Svix's `eventId` and the idempotency key, so handing it over twice (a retried
 * job, the sweeper after a lost answer) creates it once.
 */
export async function sendMessageToSvix(message: WebhookMessage, team: { id: string; name: string }): Promise<void> {
  await svixClient().message.create(
    team.id,
    { eventType: message.type, eventId: message.id, payload: message.payload, application: application(team) },
    { idempotencyKey: message.id },
  );
}

/** A one-time link to Svix's app portal for the team: its endpoints, deliveries and secrets there. */
export async function svixPortalUrl(team: { id: string; name: string }): Promise<string> {
  const access = await svixClient().authentication.appPortalAccess(team.id, { application: application(team) });
  return access.url;
}
