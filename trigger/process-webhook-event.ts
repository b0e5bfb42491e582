import { schemaTask } from "@trigger.dev/sdk";
import { processWebhookEventJob } from "@/lib/webhooks";

/**
 * Processes one stored webhook event. A handler failure is recorded on the row
 * and retried by the sweeper with backoff; only a throw (e.g. the database is
 * down) makes Trigger.dev retry this run. A payload that fails the job's
 * schema fails the run without a retry.
 */
export const processWebhookEventTask = schemaTask({
  id: processWebhookEventJob.name,
  schema: processWebhookEventJob.schema,
  run: (payload) => processWebhookEventJob.run(payload),
});
