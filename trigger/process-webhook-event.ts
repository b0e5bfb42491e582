import { task } from "@trigger.dev/sdk";
import { jobs, type JobPayload } from "@/lib/jobs/registry";

/**
 * Processes one stored webhook event. A handler failure is recorded on the row
 * and retried by the sweeper with backoff; only a throw (e.g. the database is
 * down) makes Trigger.dev retry this run.
 */
export const processWebhookEventTask = task({
  id: "process-webhook-event",
  run: (payload: JobPayload<"process-webhook-event">) => jobs["process-webhook-event"](payload),
});
