import "server-only";
import { and, eq, getTableColumns, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Resend } from "resend";
import { z } from "zod";
import { db as appDb, schema, type Executor } from "@/lib/db";
import type { Email } from "@/lib/db/schema";
import { env } from "@/lib/core/env";
import { defineJob, finishClaim, holdClaims, jobRequestId, releaseHeldClaims } from "@/lib/jobs";
import { logger } from "@/lib/core/logger";
import { reportError } from "@/lib/observability/sentry";
import { RESEND_TIMEOUT_MS, resendClient } from "@/lib/email/resend";
import { backoffDelayMs, withTimeout } from "@/lib/core/timing";
import { emailOwnerId } from "./owner";
import { recordEmailStatus } from "./status";
import { renderEmail, isTemplateName } from "./templates";

const { emails, emailSuppressions } = schema;

/** Sends are tried this many times (the first plus the sweeper's retries), then the email stays failed. */
export const MAX_EMAIL_ATTEMPTS = 5;
/** A job that crashed mid-send releases its claim after this long. */
export const STALE_LOCK_MS = 5 * 60_000;

/** 1, 2, 4 … minutes, at most an hour. */
export const retryDelayMs = (attempts: number) => backoffDelayMs(attempts, { maxMs: 60 * 60_000 });

export const sendEmailPayload = z.object({ emailId: z.uuid(), requestId: jobRequestId });
export type SendEmailPayload = z.infer<typeof sendEmailPayload>;

/** Delivers one stored email; trigger/send-email.ts runs the same function on Trigger.dev. */
export const sendEmailJob = defineJob("send-email", sendEmailPayload, ({ emailId }) => deliverEmail(appDb, emailId));

export type DeliveryResult = "sent" | "outbox" | "failed" | "suppressed" | "skipped";

/**
 * The `send-email` job. Claims the email (so two runs at once send once),
 * renders it, and sends it through Resend with the email id as idempotency key
 * (so a retry after a lost answer is not a second email), or stores it in the
 * dev outbox when Resend is not configured. Failures are recorded for the sweeper.
 */
export async function deliverEmail(db: Executor, emailId: string): Promise<DeliveryResult> {
  const [email] = await db
    .update(emails)
    .set(claimEmail())
    .where(and(eq(emails.id, emailId), inArray(emails.status, ["queued", "failed"]), claimable()))
    .returning(claimedEmailColumns);
  if (!email) return "skipped"; // already sent, given up, or being sent right now
  return deliverClaimedEmail(db, heldEmails([email])[0]!);
}

/** This process's claims on emails, for a shutdown to give back (lib/jobs/claims.ts). */
const CLAIM_KIND = "emails";

/** Remembers emails this process just claimed, until they are finished or given back. */
export function heldEmails<E extends Pick<Email, "id" | "lockedAt">>(claimed: E[]): E[] {
  return holdClaims(CLAIM_KIND, claimed);
}

/**
 * For a server that is shutting down: the emails this process claimed and has not finished are
 * unlocked, due at once (`next_attempt_at` now) and without the attempt they were counted, so
 * another instance's sweeper sends them on its next run instead of after the 5-minute stale lock.
 * A send that was already on its way to Resend carries the email's idempotency key, so Resend
 * does not deliver it twice. Answers how many went back.
 */
export function releaseClaimedEmails(db: Executor, now = new Date()): Promise<number> {
  return releaseHeldClaims(CLAIM_KIND, async (ids, lockedAt) => {
    const rows = await db
      .update(emails)
      .set({ lockedAt: null, nextAttemptAt: now, attempts: sql`${emails.attempts} - 1` })
      .where(and(inArray(emails.id, ids), inArray(emails.status, ["queued", "failed"]), eq(emails.lockedAt, lockedAt)))
      .returning({ id: emails.id });
    return rows.length;
  });
}

/**
 * What a claim returns (`.returning(claimedEmailColumns)`): the email, and two
 * facts read in the same statement instead of two more round trips: whether
 * its address is suppressed now (it may have bounced since it was queued), and
 * the account it belongs to (`emailOwnerId`), whose stream hears about its status. The address
 * is stored normalized (`sendEmail`), as both lists keep theirs.
 */
export const claimedEmailColumns = {
  ...getTableColumns(emails),
  suppressed: sql<boolean>`exists (select 1 from ${emailSuppressions} where ${emailSuppressions.email} = ${emails.to})`,
  recipientId: emailOwnerId,
};
export type ClaimedEmail = Email & { suppressed: boolean; recipientId: string | null };

/** What claiming sets: our lock, and one more attempt counted (so a crashing send still runs out). */
export const claimEmail = () => ({ lockedAt: new Date(), attempts: sql`${emails.attempts} + 1` });

/** Attempts left, and nobody sending it right now (or whoever was died: the lock is stale). */
export const claimable = () =>
  and(
    lt(emails.attempts, MAX_EMAIL_ATTEMPTS),
    or(isNull(emails.lockedAt), lt(emails.lockedAt, new Date(Date.now() - STALE_LOCK_MS))),
  );

/** The send itself, once this worker holds the email: the job claims one by id, the sweeper a batch. */
export async function deliverClaimedEmail(db: Executor, email: ClaimedEmail): Promise<DeliveryResult> {
  try {
    return await deliverHeldEmail(db, email);
  } finally {
    finishClaim(CLAIM_KIND, email);
  }
}

async function deliverHeldEmail(db: Executor, email: ClaimedEmail): Promise<DeliveryResult> {
  const log = logger.child({ emailId: email.id });
  const { recipientId } = email;
  if (email.suppressed) {
    await recordEmailStatus(db, email, { status: "suppressed", lockedAt: null }, recipientId);
    return "suppressed";
  }

  try {
    if (!isTemplateName(email.template)) throw new Error(`Unknown email template "${email.template}"`);
    const { html, text } = await renderEmail(email.template, email.props as never);
    const resend = resendClient();
    // Without Resend the email is kept in the dev outbox; an outbox id stands in for Resend's, so /dev/emails
    // can simulate delivery events for it.
    const delivery = resend
      ? { transport: "resend" as const, providerId: await sendThroughResend(resend, { ...email, html, text }) }
      : { transport: "outbox" as const, providerId: `outbox_${email.id}` };
    await recordEmailStatus(
      db,
      email,
      {
        status: "sent",
        ...delivery,
        html,
        text,
        sentAt: new Date(),
        lockedAt: null,
        lastError: null,
        nextAttemptAt: null,
      },
      recipientId,
    );
    if (resend) log.info({ providerId: delivery.providerId }, "email sent");
    else log.info("email stored in the dev outbox (RESEND_API_KEY unset)");
    return resend ? "sent" : "outbox";
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const finalAttempt = email.attempts >= MAX_EMAIL_ATTEMPTS;
    await recordEmailStatus(
      db,
      email,
      {
        status: "failed",
        lastError: message,
        lockedAt: null,
        nextAttemptAt: finalAttempt ? null : new Date(Date.now() + retryDelayMs(email.attempts)),
      },
      recipientId,
    );
    log.error({ err: error, attempts: email.attempts, finalAttempt }, "email send failed");
    if (finalAttempt) await reportError(error, { job: "send-email", email_id: email.id, email_status: "dead" });
    return "failed";
  }
}

async function sendThroughResend(
  client: Resend,
  email: { id: string; to: string; subject: string; html: string; text: string },
) {
  // Resend returns { data, error } and does not throw on HTTP errors: check error.
  const { data, error } = await withTimeout(
    client.emails.send(
      { from: env.emailFrom, to: email.to, subject: email.subject, html: email.html, text: email.text },
      { idempotencyKey: `email-${email.id}` },
    ),
    RESEND_TIMEOUT_MS,
    `Resend did not answer within ${RESEND_TIMEOUT_MS} ms`,
  );
  if (error) throw new Error(`Resend: ${error.name}: ${error.message}`);
  if (!data?.id) throw new Error("Resend: the answer had no email id");
  return data.id;
}
