import "server-only";
import pLimit from "p-limit";
import type { Executor } from "@/lib/db";
import { env } from "@/lib/core/env";
import { logger } from "@/lib/core/logger";
import { claimDueWebhookEvents, processClaimedWebhookEvent, type ProcessOutcome } from "./process";
import { registeredWebhookProviders } from "./registry";

/** A pending event younger than this still has its job on the way. */
const PENDING_GRACE_MS = 60_000;

export type SweepCounts = { [S in ProcessOutcome["status"]]: number } & { picked: number };

export type SweepOptions = {
  now?: Date;
  /** At most this many events in this run (default: as many as the deadline allows). */
  limit?: number;
  /** Events claimed per statement (default SWEEP_BATCH_SIZE, 100). */
  batchSize?: number;
  /** Events of a batch processed at once (default SWEEP_CONCURRENCY, 4); each holds a pool connection. */
  concurrency?: number;
  /** Stop claiming new batches after this moment (ms since the epoch): what is left waits for the next sweep. */
  deadline?: number;
};

/**
 * The safety net behind the jobs: finds events whose job never ran (pending for
 * over a minute), failed events due for a retry, and events whose worker died
 * mid-way, and processes them. It claims a batch at a time (`FOR UPDATE SKIP
 * LOCKED`, so several sweepers share a backlog without taking one event twice),
 * processes the batch `concurrency` at a time, and repeats until nothing is due,
 * `limit` is reached or the deadline passes. Runs on a schedule (Trigger.dev, cron).
 */
export async function processPendingEvents(db: Executor, options: SweepOptions = {}): Promise<SweepCounts> {
  const counts: SweepCounts = { picked: 0, processed: 0, ignored: 0, failed: 0, dead: 0, skipped: 0 };
  // Only providers this deployment can handle: an unknown one would just fail again.
  const providers = registeredWebhookProviders();
  if (providers.length === 0) return counts;
  const batchSize = options.batchSize ?? env.sweepBatchSize;
  const slots = pLimit(options.concurrency ?? env.sweepConcurrency);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;

  while (counts.picked < limit && (options.deadline === undefined || Date.now() < options.deadline)) {
    // A fixed `now` (tests stepping past a backoff) applies to every batch; otherwise each batch reads the clock.
    const now = options.now ?? new Date();
    const batch = await claimDueWebhookEvents(db, {
      providers,
      now,
      limit: Math.min(batchSize, limit - counts.picked),
      pendingGraceMs: PENDING_GRACE_MS,
    });
    if (batch.length === 0) break;
    counts.picked += batch.length;
    const outcomes = await Promise.all(
      batch.map((event) => slots(() => processClaimedWebhookEvent(db, event, { now: options.now }))),
    );
    for (const outcome of outcomes) counts[outcome.status] += 1;
  }
  if (counts.picked > 0) logger.info({ sweep: "webhook-events", ...counts }, "swept webhook events");
  return counts;
}
