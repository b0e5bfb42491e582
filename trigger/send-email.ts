import { task } from "@trigger.dev/sdk";
import { jobs, type JobPayload } from "@/lib/jobs/registry";

/**
 * Sends one stored email. A Resend failure is recorded on the email and retried
 * by the sweeper; the email id is Resend's idempotency key, so no retry sends twice.
 */
export const sendEmailTask = task({
  id: "send-email",
  run: (payload: JobPayload<"send-email">) => jobs["send-email"](payload),
});
