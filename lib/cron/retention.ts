import "server-only";
import { and, eq, gte, inArray, lt, notInArray, or, sql } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { MAX_EMAIL_ATTEMPTS } from "@/lib/email";
import { env } from "@/lib/core/env";
import { logger } from "@/lib/core/logger";
import { deleteExpiredRealtimeEvents } from "@/lib/realtime";
import { deleteExpiredIdempotencyKeys } from "@/lib/api/idempotency";
import { deleteExpiredAuditEvents } from "@/lib/audit";

const { webhookEvents, emails, contactMessages, webhookMessages } = schema;

/** Outbound webhook messages (and with them every try at sending them) are kept this long. */
export const OUTBOUND_WEBHOOK_RETENTION_DAYS = 30;

const DAY_MS = 24 * 60 * 60_000;

/**
 * A processed event's id stays at least this long, whatever WEBHOOK_RETENTION_DAYS
 * says: a redelivery of an id still stored is acknowledged and not processed
 * again. Stripe retries for up to 3 days, Resend (Svix) for about a day.
 */
export const WEBHOOK_DEDUPE_DAYS = 7;

/** Leaves room within the cron route's 60 s maxDuration (vercel.json): what is left goes on the next run. */
export const RETENTION_BUDGET_MS = 40_000;

/** Rows per statement: each delete or update stays short, so it never holds locks for long. */
const CHUNK = 5_000;

export type RetentionDays = { webhooks: number; emails: number; contact: number; audit: number };

export type RetentionResult = {
  /** Processed webhook events whose raw payload was replaced by `{}` (kept for dedupe, payload gone). */
  webhookPayloadsCleared: number;
  /** Processed webhook events deleted, ids and all. */
  webhookEventsDeleted: number;
  /** Finished emails whose rendered body and template props were cleared. */
  emailBodiesCleared: number;
  contactMessagesDeleted: number;
  /** Real-time events past their 24 h replay window. */
  realtimeEventsDeleted: number;
  /** The public API's idempotency keys past their 24 hours. */
  idempotencyKeysDeleted: number;
  /** Outbound webhook messages past their days, with their tries (webhook_attempts). */
  outboundWebhookMessagesDeleted: number;
  /** Audit events past AUDIT_RETENTION_DAYS (by the database's clock: its trigger checks the same window). */
  auditEventsDeleted: number;
};

export type RetentionOptions = {
  now?: Date;
  days?: Partial<RetentionDays>;
  /** Stop starting new chunks after this moment (ms since the epoch): the rest goes on the next run. */
  deadline?: number;
};

/**
 * The scheduled retention job (cron route, Trigger.dev schedule): deletes
 * personal data the app no longer needs once its days are up (defaults
 * 30/30/180, WEBHOOK_RETENTION_DAYS, EMAIL_RETENTION_DAYS,
 * CONTACT_RETENTION_DAYS), real-time events and the API's idempotency keys after
 * 24 h, outbound webhook messages with their tries after 30 days, and audit events after
 * AUDIT_RETENTION_DAYS (365; each team's hash chain then starts at its oldest kept event). Dead webhook
 * events and emails still to be sent are kept: they wait for a person or a retry.
 */
export async function applyRetention(db: Executor, options: RetentionOptions = {}): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const days: RetentionDays = {
    webhooks: env.webhookRetentionDays,
    emails: env.emailRetentionDays,
    contact: env.contactRetentionDays,
    audit: env.auditRetentionDays,
    ...options.days,
  };
  const before = (n: number) => new Date(now.getTime() - n * DAY_MS);
  const inChunks = (step: () => Promise<number>) => repeatUntilDone(step, options.deadline);

  const processedBefore = (cutoff: Date) =>
    and(eq(webhookEvents.status, "processed"), lt(webhookEvents.processedAt, cutoff));
  // With fewer days than the dedupe window, the payload goes at `days` and the row (its id) later.
  const webhookEventsDeleted = await inChunks(async () => {
    const due = db
      .select({ id: webhookEvents.id })
      .from(webhookEvents)
      .where(processedBefore(before(Math.max(days.webhooks, WEBHOOK_DEDUPE_DAYS))))
      .limit(CHUNK);
    return count(
      await db.delete(webhookEvents).where(inArray(webhookEvents.id, due)).returning({ id: webhookEvents.id }),
    );
  });
  const webhookPayloadsCleared = await inChunks(async () => {
    const due = db
      .select({ id: webhookEvents.id })
      .from(webhookEvents)
      .where(and(processedBefore(before(days.webhooks)), sql`${webhookEvents.payload} <> '{}'::jsonb`))
      .limit(CHUNK);
    return count(
      await db
        .update(webhookEvents)
        .set({ payload: {} })
        .where(inArray(webhookEvents.id, due))
        .returning({ id: webhookEvents.id }),
    );
  });

  const emailBodiesCleared = await inChunks(async () => {
    const due = db
      .select({ id: emails.id })
      .from(emails)
      .where(
        and(
          lt(emails.createdAt, before(days.emails)),
          // The same condition as the partial index emails_body_created_at_idx, so it serves this scan.
          sql`(${emails.html} is not null or ${emails.text} is not null or ${emails.props} <> '{}'::jsonb)`,
          // Not one that may still be sent: its props are what a retry renders.
          or(notInArray(emails.status, ["queued", "failed"]), gte(emails.attempts, MAX_EMAIL_ATTEMPTS)),
        ),
      )
      .limit(CHUNK);
    return count(
      await db
        .update(emails)
        .set({ html: null, text: null, props: {} })
        .where(inArray(emails.id, due))
        .returning({ id: emails.id }),
    );
  });

  const contactMessagesDeleted = await inChunks(async () => {
    const due = db
      .select({ id: contactMessages.id })
      .from(contactMessages)
      .where(lt(contactMessages.createdAt, before(days.contact)))
      .limit(CHUNK);
    return count(
      await db.delete(contactMessages).where(inArray(contactMessages.id, due)).returning({ id: contactMessages.id }),
    );
  });

  const outboundWebhookMessagesDeleted = await inChunks(async () => {
    const due = db
      .select({ id: webhookMessages.id })
      .from(webhookMessages)
      .where(lt(webhookMessages.createdAt, before(OUTBOUND_WEBHOOK_RETENTION_DAYS)))
      .limit(CHUNK);
    return count(
      await db.delete(webhookMessages).where(inArray(webhookMessages.id, due)).returning({ id: webhookMessages.id }),
    );
  });

  const result: RetentionResult = {
    webhookPayloadsCleared,
    webhookEventsDeleted,
    emailBodiesCleared,
    contactMessagesDeleted,
    realtimeEventsDeleted: await deleteExpiredRealtimeEvents(db, now),
    idempotencyKeysDeleted: await inChunks(() => deleteExpiredIdempotencyKeys(db, now, CHUNK)),
    outboundWebhookMessagesDeleted,
    auditEventsDeleted: await inChunks(() => deleteExpiredAuditEvents(db, days.audit, CHUNK)),
  };
  logger.info({ job: "retention", days, ...result }, "retention applied");
  return result;
}

const count = (rows: unknown[]) => rows.length;

/** Runs `step` (one chunk) until a chunk comes back short or the deadline passes; returns the total. */
async function repeatUntilDone(step: () => Promise<number>, deadline?: number): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await step();
    total += done;
    if (done < CHUNK || (deadline !== undefined && Date.now() >= deadline)) return total;
  }
}
