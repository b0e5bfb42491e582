import { schemaTask } from "@trigger.dev/sdk";
import { sendEmailJob } from "@/lib/email";

/**
 * Sends one stored email. A Resend failure is recorded on the email and retried
 * by the sweeper; the email id is Resend's idempotency key, so no retry sends
 * twice. A payload that fails the job's schema fails the run without a retry.
 */
export const sendEmailTask = schemaTask({
  id: sendEmailJob.name,
  schema: sendEmailJob.schema,
  run: (payload) => sendEmailJob.run(payload),
});
