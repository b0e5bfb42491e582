import "server-only";
import { and, asc, eq, inArray, lt, lte, or } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { logger } from "@/lib/logger";
import { processWebhookEvent, WEBHOOK_LOCK_TIMEOUT_MS, type ProcessOutcome } from "./process";
import { registeredWebhookProviders } from "./registry";

const { webhookEvents } = schema;

/** A pending event younger than this still has its job on the way. */
const PENDING_GRACE_MS = 60_000;

export type SweepCounts = { [S in ProcessOutcome["status"]]: number } & { picked: number };

export type SweepOptions = {
  now?: Date;
  limit?: number;
  /** Stop starting new events after this moment (ms since the epoch): what is left waits for the next sweep. */
  deadline?: number;
};

/**
 * The safety net behind the jobs: finds events whose job never ran (pending for
 * over a minute), failed events due for a retry, and events whose worker died
 * mid-way, and processes them one by one. Runs on a schedule (Trigger.dev, cron).
 */
export async function processPendingEvents(db: Executor, options: SweepOptions = {}): Promise<SweepCounts> {
  const now = options.now ?? new Date();
  const counts: SweepCounts = { picked: 0, processed: 0, ignored: 0, failed: 0, dead: 0, skipped: 0 };
  // Only providers this deployment can handle: an unknown one would just fail again.
  const providers = registeredWebhookProviders();
  if (providers.length === 0) return counts;

  const due = await db
    .select({ provider: webhookEvents.provider, eventId: webhookEvents.eventId })
    .from(webhookEvents)
    .where(
      and(
        inArray(webhookEvents.provider, providers),
        or(
          and(
            eq(webhookEvents.status, "pending"),
            lt(webhookEvents.receivedAt, new Date(now.getTime() - PENDING_GRACE_MS)),
          ),
          and(eq(webhookEvents.status, "failed"), lte(webhookEvents.nextAttemptAt, now)),
          and(
            eq(webhookEvents.status, "processing"),
            lt(webhookEvents.lockedAt, new Date(now.getTime() - WEBHOOK_LOCK_TIMEOUT_MS)),
          ),
        ),
      ),
    )
    .orderBy(asc(webhookEvents.receivedAt))
    .limit(options.limit ?? 50);

  for (const { provider, eventId } of due) {
    if (options.deadline !== undefined && Date.now() >= options.deadline) break;
    counts.picked += 1;
    const outcome = await processWebhookEvent(db, provider, eventId, { now: options.now });
    counts[outcome.status] += 1;
  }
  if (counts.picked > 0) logger.info({ sweep: "webhook-events", ...counts }, "swept webhook events");
  return counts;
}
