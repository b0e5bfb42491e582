import "server-only";
import { and, asc, eq, gt, isNull, lt, lte, or, sql } from "drizzle-orm";
import { logger } from "@/lib/core/logger";
import { schema, type Executor } from "@/lib/db";
import { dispatchMessage, queueAttempts } from "./jobs";

const { webhookAttempts, webhookMessages } = schema;

/** A message or try younger than this is its job's: the sweeper leaves it alone. */
export const SWEEP_GRACE_MS = 60_000;
const BATCH = 100;
/** Tries queued per sweep at most: a backlog drains over several runs rather than piling into one process. */
const MAX_QUEUED_PER_SWEEP = 2_000;

export type WebhookSweepResult = { messagesDispatched: number; attemptsQueued: number; failed: number };

/**
 * What the sweeper does for outbound webhooks: fans out messages whose dispatch job never ran
 * (a lost job, a server that stopped after the commit), and queues every try that is due and held
 * by nobody (retries past their time, tries whose worker died). `now` is the sweeper's clock.
 */
export async function sweepWebhookDeliveries(
  db: Executor,
  { now = new Date(), deadline }: { now?: Date; deadline?: number } = {},
): Promise<WebhookSweepResult> {
  const result: WebhookSweepResult = { messagesDispatched: 0, attemptsQueued: 0, failed: 0 };
  const before = new Date(now.getTime() - SWEEP_GRACE_MS);
  const timeLeft = () => deadline === undefined || Date.now() < deadline;

  let after = { createdAt: new Date(0), id: "" };
  while (timeLeft()) {
    const messages = await db
      .select({ id: webhookMessages.id, createdAt: webhookMessages.createdAt })
      .from(webhookMessages)
      .where(
        and(
          isNull(webhookMessages.dispatchedAt),
          lt(webhookMessages.createdAt, before),
          or(
            gt(webhookMessages.createdAt, after.createdAt),
            and(eq(webhookMessages.createdAt, after.createdAt), gt(webhookMessages.id, after.id)),
          ),
        ),
      )
      .orderBy(asc(webhookMessages.createdAt), asc(webhookMessages.id))
      .limit(BATCH);
    for (const message of messages) {
      try {
        await dispatchMessage(db, message.id);
        result.messagesDispatched += 1;
      } catch (error) {
        // Svix or the database refused it: it stays undispatched for the next run.
        result.failed += 1;
        logger.error({ err: error, messageId: message.id }, "webhook message dispatch failed");
      }
    }
    if (messages.length < BATCH) break;
    after = messages.at(-1)!;
  }

  let cursor = { at: new Date(0), id: "00000000-0000-0000-0000-000000000000" };
  while (timeLeft() && result.attemptsQueued < MAX_QUEUED_PER_SWEEP) {
    const due = await db
      .select({
        attemptId: webhookAttempts.id,
        endpointId: webhookAttempts.endpointId,
        at: webhookAttempts.nextAttemptAt,
      })
      .from(webhookAttempts)
      .where(
        and(
          eq(webhookAttempts.status, "pending"),
          lte(webhookAttempts.nextAttemptAt, before),
          or(isNull(webhookAttempts.lockedUntil), lt(webhookAttempts.lockedUntil, now)),
          sql`(${webhookAttempts.nextAttemptAt}, ${webhookAttempts.id}) > (${cursor.at.toISOString()}::timestamptz, ${cursor.id}::uuid)`,
        ),
      )
      .orderBy(asc(webhookAttempts.nextAttemptAt), asc(webhookAttempts.id))
      .limit(BATCH);
    await queueAttempts(
      due.map(({ attemptId, endpointId }) => ({ attemptId, endpointId })),
      { idempotent: false },
    );
    result.attemptsQueued += due.length;
    if (due.length < BATCH) break;
    const last = due.at(-1)!;
    cursor = { at: last.at, id: last.attemptId };
  }
  if (result.messagesDispatched || result.attemptsQueued || result.failed)
    logger.info({ job: "sweep", ...result }, "outbound webhooks swept");
  return result;
}
