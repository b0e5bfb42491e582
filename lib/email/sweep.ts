import "server-only";
import { and, eq, gte, isNull, lt, lte, or } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { deliverEmail, MAX_EMAIL_ATTEMPTS, STALE_LOCK_MS } from "./delivery";

const { emails } = schema;

/**
 * For the sweeper: emails whose job never ran (queued for over a minute) and
 * failed emails whose backoff has passed.
 */
export async function retryFailedEmails(
  db: Executor,
  { limit = 50, deadline }: { limit?: number; deadline?: number } = {},
) {
  const now = new Date();
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
        or(isNull(emails.lockedAt), lt(emails.lockedAt, new Date(now.getTime() - STALE_LOCK_MS))),
      ),
    );
  const due = await db
    .select({ id: emails.id })
    .from(emails)
    .where(
      and(
        lt(emails.attempts, MAX_EMAIL_ATTEMPTS),
        or(
          and(eq(emails.status, "queued"), lt(emails.createdAt, new Date(now.getTime() - 60_000))),
          and(eq(emails.status, "failed"), lte(emails.nextAttemptAt, now)),
        ),
      ),
    )
    .orderBy(emails.createdAt)
    .limit(limit);
  const counts = { picked: due.length, sent: 0, failed: 0 };
  for (const { id } of due) {
    if (deadline !== undefined && Date.now() >= deadline) break; // the rest waits for the next sweep
    const result = await deliverEmail(db, id);
    if (result === "sent" || result === "outbox") counts.sent++;
    if (result === "failed") counts.failed++;
  }
  return counts;
}
