import { schemaTask } from "@trigger.dev/sdk";
import { dispatchMessageJob } from "@/lib/webhooks-out";

/**
 * Fans one outbound webhook message out to its team's endpoints (or hands it to Svix) once the
 * change that wrote it has committed. A throw (the database or Svix down) makes Trigger.dev retry;
 * the sweeper also picks up any message left undispatched.
 */
export const dispatchWebhookMessageTask = schemaTask({
  id: dispatchMessageJob.name,
  schema: dispatchMessageJob.schema,
  maxDuration: 60,
  retry: { maxAttempts: 3, minTimeoutInMs: 1_000, maxTimeoutInMs: 30_000, factor: 2 },
  run: (payload) => dispatchMessageJob.run(payload),
});
