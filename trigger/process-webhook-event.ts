import { task } from "@trigger.dev/sdk";
import { processWebhookEventJob, type ProcessWebhookEventPayload } from "@/lib/webhooks/process";

/**
 * Processes one stored webhook event. A handler failure is recorded on the row
 * and retried by the sweeper with backoff; only a throw (e.g. the database is
 * down) makes Trigger.dev retry this run.
 */
export const processWebhookEventTask = task({
  id: processWebhookEventJob.name,
  run: (payload: ProcessWebhookEventPayload) => processWebhookEventJob.run(payload),
});
