import "server-only";
import { and, eq, gte, inArray, isNull, lt, lte, or } from "drizzle-orm";
import pLimit from "p-limit";
import { schema, type Executor } from "@/lib/db";
import { env } from "@/lib/core/env";
import {
  claimable,
  claimedEmailColumns,
  claimEmail,
  deliverClaimedEmail,
  heldEmails,
  MAX_EMAIL_ATTEMPTS,
  STALE_LOCK_MS,
} from "./delivery";

const { emails } = schema;

/** A queued email younger than this still has its job on the way. */
const QUEUED_GRACE_MS = 60_000;

export type RetryOptions = {
  /** At most this many emails in this run (default: as many as the deadline allows). */
  limit?: number;
  /** Emails claimed per statement (default SWEEP_BATCH_SIZE). */
  batchSize?: number;
  /** Emails of a batch sent at once (default SWEEP_CONCURRENCY). */
  concurrency?: number;
  /** Stop claiming new batches after this moment (ms since the epoch). */
  deadline?: number;
};

/**
 * For the sweeper: emails whose job never ran (queued for over a minute) and
 * failed emails whose backoff has passed, claimed a batch at a time with
 * `FOR UPDATE SKIP LOCKED` (concurrent sweepers never take one email twice)
 * and sent `concurrency` at a time.
 */
export async function retryFailedEmails(db: Executor, options: RetryOptions = {}) {
  // A worker that died during the last attempt left its email queued with no attempts left: give it up, visibly.
  await db
    .update(emails)
    .set({
      status: "failed",
      lastError: "the worker stopped during the last attempt",
      lockedAt: null,
      nextAttemptAt: null,
    })
    .where(
      and(
        eq(emails.status, "queued"),
        gte(emails.attempts, MAX_EMAIL_ATTEMPTS),
        or(isNull(emails.lockedAt), lt(emails.lockedAt, new Date(Date.now() - STALE_LOCK_MS))),
      ),
    );
  const counts = { picked: 0, sent: 0, failed: 0 };
  const batchSize = options.batchSize ?? env.sweepBatchSize;
  const slots = pLimit(options.concurrency ?? env.sweepConcurrency);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  while (counts.picked < limit && (options.deadline === undefined || Date.now() < options.deadline)) {
    const batch = await claimDueEmails(db, Math.min(batchSize, limit - counts.picked));
    if (batch.length === 0) break;
    counts.picked += batch.length;
    const results = await Promise.all(batch.map((email) => slots(() => deliverClaimedEmail(db, email))));
    for (const result of results) {
      if (result === "sent" || result === "outbox") counts.sent++;
      if (result === "failed") counts.failed++;
    }
  }
  return counts;
}

/** Up to `limit` due emails, oldest first, claimed in one statement. */
async function claimDueEmails(db: Executor, limit: number) {
  const now = new Date();
  const due = db
    .select({ id: emails.id })
    .from(emails)
    .where(
      and(
        inArray(emails.status, ["queued", "failed"]),
        claimable(),
        or(
          and(
            eq(emails.status, "queued"),
            or(
              lt(emails.createdAt, new Date(now.getTime() - QUEUED_GRACE_MS)),
              // Given back by a server that shut down mid-send (releaseClaimedEmails): due at once.
              lte(emails.nextAttemptAt, now),
            ),
          ),
          and(eq(emails.status, "failed"), lte(emails.nextAttemptAt, now)),
        ),
      ),
    )
    .orderBy(emails.createdAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(emails)
    .set(claimEmail())
    .where(inArray(emails.id, due))
    .returning(claimedEmailColumns);
  return heldEmails(claimed).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}
