/**
 * The webhook inbox: the five rules as one mechanism. `receive.ts` verifies, stores and
 * acknowledges (`webhookRoute`), `process.ts` claims and handles a stored event in a job,
 * `sweep.ts` picks up what a lost job left, `inbox.ts` is the table, `replay.ts` the dev tools'
 * replay, and `registry.ts` lists the providers (one module each in ./providers).
 */
export { webhookRoute, WEBHOOK_MAX_BYTES } from "./receive";
export { listRecentWebhookEvents, recordWebhookEvent } from "./inbox";
export {
  MAX_WEBHOOK_ATTEMPTS,
  processWebhookEvent,
  processWebhookEventJob,
  releaseClaimedWebhookEvents,
  type ProcessOutcome,
  type ProcessWebhookEventPayload,
} from "./process";
export { processPendingEvents, type SweepCounts } from "./sweep";
export { replayWebhookEvent } from "./replay";
export { webhookProviders, type WebhookProvider } from "./registry";
export type { VerifiedWebhookEvent, WebhookEventHandler, WebhookHandlerMap, WebhookVerifier } from "./types";
