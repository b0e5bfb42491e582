import { task } from "@trigger.dev/sdk";
import { sendEmailJob, type SendEmailPayload } from "@/lib/email";

/**
 * Sends one stored email. A Resend failure is recorded on the email and retried
 * by the sweeper; the email id is Resend's idempotency key, so no retry sends twice.
 */
export const sendEmailTask = task({
  id: sendEmailJob.name,
  run: (payload: SendEmailPayload) => sendEmailJob.run(payload),
});
