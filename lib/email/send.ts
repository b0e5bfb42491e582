import "server-only";
import { schema, type AfterCommit, type Executor } from "@/lib/db";
import { enqueue } from "@/lib/jobs";
import { logger } from "@/lib/core/logger";
import { sendEmailJob } from "./delivery";
import { normalizeAddress, suppressedStatusFor } from "./suppressions";
import { templates, type TemplateName, type TemplateProps } from "./templates";

/**
 * The email pipeline. This file is its front door (`sendEmail`); the rest:
 * `delivery.ts` (the send-email job: claim, render, Resend or the dev outbox),
 * `sweep.ts` (retries for the sweeper), `suppressions.ts` (bounced and
 * complained addresses), `status.ts` (status changes and their events),
 * `templates/` (React Email), `outbox.ts` (the dev tools' lists).
 */
export {
  deliverEmail,
  MAX_EMAIL_ATTEMPTS,
  releaseClaimedEmails,
  retryDelayMs,
  sendEmailJob,
  type DeliveryResult,
} from "./delivery";
export type { SendEmailPayload } from "./delivery";
export { retryFailedEmails } from "./sweep";
export { normalizeAddress, suppressAddress } from "./suppressions";

const { emails } = schema;

export type SendEmailInput<N extends TemplateName> = {
  to: string;
  template: N;
  props: TemplateProps<N>;
  requestId?: string;
};
export type SendEmailResult = { id: string; status: "queued" | "suppressed" };

/**
 * The one way to send an email: records it, then hands it to the `send-email`
 * job. A suppressed recipient (bounced or complained) is recorded as
 * `suppressed` and never sent. Throws only when the database is unavailable.
 */
export async function sendEmail<N extends TemplateName>(
  db: Executor,
  input: SendEmailInput<N>,
  /** Inside a transaction, pass its afterCommit so the job starts only once the email row is visible. */
  options: { afterCommit?: AfterCommit } = {},
): Promise<SendEmailResult> {
  const to = normalizeAddress(input.to);
  const subject = (templates[input.template].subject as (props: TemplateProps<N>) => string)(input.props);
  // One statement: the row is stored `suppressed` when the address is on the list, `queued` otherwise.
  const [email] = await db
    .insert(emails)
    .values({ to, template: input.template, subject, props: input.props, status: suppressedStatusFor(to) })
    .returning({ id: emails.id, status: emails.status });
  const suppressed = email!.status === "suppressed";
  const log = logger.child({ emailId: email!.id, template: input.template, requestId: input.requestId });
  if (suppressed) {
    log.info("email not sent: recipient is on the suppression list");
    return { id: email!.id, status: "suppressed" };
  }
  const queue = () =>
    enqueue(sendEmailJob, { emailId: email!.id, requestId: input.requestId }, { idempotencyKey: `email:${email!.id}` });
  if (options.afterCommit) options.afterCommit(queue);
  else await queue();
  return { id: email!.id, status: "queued" };
}
