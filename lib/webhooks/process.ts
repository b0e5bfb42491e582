import "server-only";
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import { db as appDb, schema, type Executor } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";
import { defineJob, finishClaim, holdClaims, jobRequestId, releaseHeldClaims } from "@/lib/jobs";
import { logger, type Logger } from "@/lib/core/logger";
import { reportError } from "@/lib/observability/sentry";
import { backoffDelayMs } from "@/lib/core/timing";
import { webhookHandlersFor } from "./registry";

const { webhookEvents } = schema;

/** After this many failed attempts an event is `dead`: kept, shown at /dev/webhooks, never retried by itself. */
export const MAX_WEBHOOK_ATTEMPTS = 8;
/** A `processing` row locked longer than this belongs to a worker that died; another may take it over. */
export const WEBHOOK_LOCK_TIMEOUT_MS = 10 * 60_000;
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 6 * 60 * 60_000;

/** Exponential backoff after the n-th failed attempt: 1 min, 2 min, 4 min ... capped at 6 h. */
export const webhookRetryDelayMs = (attempts: number) =>
  backoffDelayMs(attempts, { baseMs: RETRY_BASE_MS, maxMs: RETRY_MAX_MS });

export type ProcessOutcome =
  | { status: "processed" }
  /** No handler for this event type: marked processed without running anything. */
  | { status: "ignored" }
  | { status: "failed"; attempts: number; error: string; nextAttemptAt: Date }
  | { status: "dead"; attempts: number; error: string }
  /** Not claimed: unknown, already processed, in progress elsewhere, or not due for a retry yet. */
  | { status: "skipped" };

/** Which stored event to process: the inbox row's provider and the provider's event id. */
export const processWebhookEventPayload = z.object({
  provider: z.string().min(1),
  eventId: z.string().min(1),
  requestId: jobRequestId,
});
export type ProcessWebhookEventPayload = z.infer<typeof processWebhookEventPayload>;

/** Processes one stored event; trigger/process-webhook-event.ts runs the same function on Trigger.dev. */
export const processWebhookEventJob = defineJob(
  "process-webhook-event",
  processWebhookEventPayload,
  ({ provider, eventId, requestId }) => processWebhookEvent(appDb, provider, eventId, { requestId }),
);

export type ProcessOptions = {
  /** The clock, so tests can step past a backoff. */
  now?: Date;
  requestId?: string | null;
};

/**
 * Runs one stored event through its provider's handler, at most once at a time
 * across all processes: claim the row, handle it in a transaction that also
 * marks it processed, or record the failure and schedule a retry.
 */
export async function processWebhookEvent(
  db: Executor,
  provider: string,
  eventId: string,
  options: ProcessOptions = {},
): Promise<ProcessOutcome> {
  const now = options.now ?? new Date();
  const event = await claimWebhookEvent(db, provider, eventId, now);
  if (!event) {
    logger
      .child({ requestId: options.requestId ?? undefined, provider, eventId })
      .debug("webhook event not claimed: already processed, in progress elsewhere, or not due");
    return { status: "skipped" };
  }
  return processClaimedWebhookEvent(db, event, { ...options, now });
}

/**
 * The rest of the work once this worker holds the event (status `processing`,
 * its `lockedAt`): the job claims one event by id, the sweeper a batch at once.
 */
export async function processClaimedWebhookEvent(
  db: Executor,
  event: WebhookEvent,
  options: ProcessOptions = {},
): Promise<ProcessOutcome> {
  try {
    return await processHeldWebhookEvent(db, event, options);
  } finally {
    finishClaim(CLAIM_KIND, event);
  }
}

async function processHeldWebhookEvent(
  db: Executor,
  event: WebhookEvent,
  options: ProcessOptions,
): Promise<ProcessOutcome> {
  const now = options.now ?? new Date();
  const { provider, eventId } = event;
  const log = logger.child({ requestId: options.requestId ?? event.requestId ?? undefined, provider, eventId });
  if (event.attempts > MAX_WEBHOOK_ATTEMPTS) {
    // Only a reclaimed stale lock gets here: the last attempt's worker died mid-way.
    return recordFailure(db, event, new Error("the worker stopped during the last attempt"), now, log);
  }

  const handlers = webhookHandlersFor(provider);
  const handler = handlers && Object.hasOwn(handlers, event.type) ? handlers[event.type] : undefined;
  const afterCommit: (() => Promise<unknown>)[] = [];
  try {
    if (!handlers) throw new Error(`no webhook handlers are registered for provider "${provider}"`);
    await db.transaction(async (tx) => {
      if (handler) await handler(tx, event, { afterCommit: (work) => afterCommit.push(work) });
      await markProcessed(tx, event, now);
    });
  } catch (error) {
    return recordFailure(db, event, error, now, log);
  }
  for (const work of afterCommit) {
    // The event is processed; what failed here (e.g. queueing an email) is stored and swept later.
    await work().catch((error: unknown) => log.error({ err: error }, "work after the handler's commit failed"));
  }
  const status = handler ? "processed" : "ignored";
  log.info({ type: event.type, attempts: event.attempts, status }, "webhook event processed");
  return { status };
}

/** This process's claims on webhook events, for a shutdown to give back (lib/jobs/claims.ts). */
const CLAIM_KIND = "webhook-events";

/** Remembers rows this process just claimed, until they are finished or given back. */
const held = (events: WebhookEvent[]): WebhookEvent[] => holdClaims(CLAIM_KIND, events);

/** What claiming sets: `processing` under a fresh lock, one more attempt counted (so a crashing event still runs out). */
const claim = (now: Date) => ({
  status: "processing" as const,
  lockedAt: now,
  nextAttemptAt: null,
  attempts: sql`${webhookEvents.attempts} + 1`,
});

/**
 * One conditional UPDATE: of several processors racing for the row, exactly one
 * gets it back from RETURNING.
 */
async function claimWebhookEvent(db: Executor, provider: string, eventId: string, now: Date) {
  const staleBefore = new Date(now.getTime() - WEBHOOK_LOCK_TIMEOUT_MS);
  const [event] = await db
    .update(webhookEvents)
    .set(claim(now))
    .where(
      and(
        eq(webhookEvents.provider, provider),
        eq(webhookEvents.eventId, eventId),
        or(
          eq(webhookEvents.status, "pending"),
          and(
            eq(webhookEvents.status, "failed"),
            or(isNull(webhookEvents.nextAttemptAt), lte(webhookEvents.nextAttemptAt, now)),
          ),
          and(eq(webhookEvents.status, "processing"), lt(webhookEvents.lockedAt, staleBefore)),
        ),
      ),
    )
    .returning();
  return held(event ? [event] : [])[0];
}

/** Statuses of events that still need work: the partial index `webhook_events_due_idx` holds only these rows. */
export const UNFINISHED_WEBHOOK_STATUSES = ["pending", "failed", "processing"] as const;

/**
 * Claims up to `limit` events that are due, oldest first, in one statement:
 * pending ones older than `pendingGraceMs` (their job never ran) or given back
 * by a server that shut down, failed ones whose backoff has passed, and
 * `processing` ones whose worker died. The inner `FOR UPDATE SKIP LOCKED`
 * makes concurrent sweepers divide the rows between them instead of waiting
 * on, or both taking, the same ones.
 */
export async function claimDueWebhookEvents(
  db: Executor,
  { providers, now, limit, pendingGraceMs }: { providers: string[]; now: Date; limit: number; pendingGraceMs: number },
): Promise<WebhookEvent[]> {
  if (providers.length === 0 || limit <= 0) return [];
  const due = db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(
      and(
        inArray(webhookEvents.status, [...UNFINISHED_WEBHOOK_STATUSES]),
        inArray(webhookEvents.provider, providers),
        or(
          and(
            eq(webhookEvents.status, "pending"),
            or(
              lt(webhookEvents.receivedAt, new Date(now.getTime() - pendingGraceMs)),
              // Given back by a server that shut down mid-way (releaseClaimedWebhookEvents): due at once.
              lte(webhookEvents.nextAttemptAt, now),
            ),
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
    .limit(limit)
    .for("update", { skipLocked: true });
  const claimed = await db.update(webhookEvents).set(claim(now)).where(inArray(webhookEvents.id, due)).returning();
  return held(claimed).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

/**
 * For a server that is shutting down: the events this process claimed and has not finished go
 * back to `pending`, due at once (`next_attempt_at` now) and without the attempt they were
 * counted, so another instance's sweeper takes them on its next run instead of after the
 * 10-minute stale lock. Only rows still under this process's lock change: one that a handler
 * finished meanwhile stays processed, and a handler that finishes afterwards finds its lock gone
 * and rolls back (markProcessed), so each event is still processed once. Answers how many went back.
 */
export function releaseClaimedWebhookEvents(db: Executor, now = new Date()): Promise<number> {
  return releaseHeldClaims(CLAIM_KIND, async (ids, lockedAt) => {
    const rows = await db
      .update(webhookEvents)
      .set({ status: "pending", lockedAt: null, nextAttemptAt: now, attempts: sql`${webhookEvents.attempts} - 1` })
      .where(
        and(
          inArray(webhookEvents.id, ids),
          eq(webhookEvents.status, "processing"),
          eq(webhookEvents.lockedAt, lockedAt),
        ),
      )
      .returning({ id: webhookEvents.id });
    return rows.length;
  });
}

/** Matches only while we still hold the lock we claimed (a replay or a takeover changes it). */
function stillLockedBy(event: WebhookEvent) {
  return and(
    eq(webhookEvents.id, event.id),
    eq(webhookEvents.status, "processing"),
    event.lockedAt ? eq(webhookEvents.lockedAt, event.lockedAt) : isNull(webhookEvents.lockedAt),
  );
}

class LockLostError extends Error {
  constructor() {
    super("lost the processing lock (the event was replayed or taken over): the handler's changes were rolled back");
    this.name = "LockLostError";
  }
}

async function markProcessed(tx: Executor, event: WebhookEvent, now: Date) {
  const marked = await tx
    .update(webhookEvents)
    .set({ status: "processed", processedAt: now, lockedAt: null, lastError: null })
    .where(stillLockedBy(event))
    .returning({ id: webhookEvents.id });
  // Throwing rolls back the handler's writes: whoever holds the lock now will apply them.
  if (marked.length === 0) throw new LockLostError();
}

async function recordFailure(
  db: Executor,
  event: WebhookEvent,
  error: unknown,
  now: Date,
  log: Logger,
): Promise<ProcessOutcome> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000) || "unknown error";
  const dead = event.attempts >= MAX_WEBHOOK_ATTEMPTS;
  const nextAttemptAt = dead ? null : new Date(now.getTime() + webhookRetryDelayMs(event.attempts));
  const status = dead ? "dead" : "failed";
  const [row] = await db
    .update(webhookEvents)
    .set({ status, lastError: message, nextAttemptAt, lockedAt: null })
    .where(stillLockedBy(event))
    .returning({ id: webhookEvents.id });
  if (!row) {
    log.warn({ err: error }, "webhook event failed after losing its lock; the new holder will process it");
    return { status: "skipped" };
  }
  const fields = { err: error, type: event.type, attempts: event.attempts, nextAttemptAt };
  if (dead || !nextAttemptAt) {
    log.error(fields, "webhook event is dead after its last attempt");
    await reportError(error, {
      job: "process-webhook-event",
      provider: event.provider,
      event_id: event.eventId,
      event_type: event.type,
      request_id: event.requestId ?? undefined,
      webhook_status: "dead",
    });
    return { status: "dead", attempts: event.attempts, error: message };
  }
  log.warn(fields, "webhook event failed; will retry");
  return { status: "failed", attempts: event.attempts, error: message, nextAttemptAt };
}
