/**
 * Outbound webhooks: what the app's changes announce to its teams' own software, following
 * Standard Webhooks. `catalog.ts` lists the event types with their data and samples; `outbox.ts`
 * writes a change's message in the change's transaction; `jobs.ts` fans it out and runs each try
 * in its endpoint's lane; `deliver.ts` makes one try (`signing.ts`, `transport.ts` with its
 * connect-time address check, `retry.ts`); `sweep.ts` picks up what a lost job left; `endpoints.ts`
 * is what the team's pages and the public API call; `svix.ts` hands messages to Svix instead when
 * SVIX_API_KEY is set. docs/webhooks-out.md explains it.
 */
export {
  sampleWebhookPayload,
  TEST_EVENT_TYPE,
  webhookEventCatalog,
  webhookEventTypes,
  webhookPayloadSchema,
  type WebhookEventData,
  type WebhookEventType,
  type WebhookPayload,
} from "./catalog";
export {
  announceMemberWebhook,
  announceRecipeWebhook,
  announceSubscriptionWebhook,
  recordWebhookMessage,
  type RecipeChange,
} from "./outbox";
export {
  checkEndpointUrl,
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  MAX_ENDPOINTS_PER_TEAM,
  replayMessage,
  rotateEndpointSecret,
  ROTATION_OVERLAP_MS,
  sendTestEvent,
  updateEndpoint,
  WebhookEndpointNotFoundError,
  type DeliveryView,
  type WebhookActor,
} from "./endpoints";
export { deliverAttempt, disableEndpoint, ENDPOINT_MAX_IN_FLIGHT, type DeliveryOutcome } from "./deliver";
export { deliverWebhookJob, dispatchMessage, dispatchMessageJob, QUEUED_RETRY_MAX_MS } from "./jobs";
export { sweepWebhookDeliveries, SWEEP_GRACE_MS, type WebhookSweepResult } from "./sweep";
export { MAX_ATTEMPTS, RETRY_SCHEDULE_MS, retryDelayMs } from "./retry";
export { svixConfigured, svixPortalUrl } from "./svix";
export { DELIVERY_TIMEOUT_MS, RESPONSE_BODY_LIMIT } from "./transport";
