import { schemaTask } from "@trigger.dev/sdk";
import { deliverWebhookJob, ENDPOINT_MAX_IN_FLIGHT } from "@/lib/webhooks-out";

/**
 * One try of one outbound webhook at one endpoint. Runs are triggered with the endpoint's id as
 * their `concurrencyKey`, so each endpoint has its own few slots (a dead endpoint never holds a
 * healthy one's). A failed try is recorded and rescheduled by the app's own retry schedule, not by
 * Trigger.dev: only a throw (the database down) retries the run.
 */
export const deliverWebhookTask = schemaTask({
  id: deliverWebhookJob.name,
  schema: deliverWebhookJob.schema,
  concurrency: { perKey: ENDPOINT_MAX_IN_FLIGHT },
  // The request's 15 s deadline, and the database work on either side.
  maxDuration: 60,
  retry: { maxAttempts: 3, minTimeoutInMs: 1_000, maxTimeoutInMs: 30_000, factor: 2 },
  run: (payload) => deliverWebhookJob.run(payload),
});
