import "server-only";
import { z } from "zod";
import { db, type Executor } from "@/lib/db";
import { defineJob, enqueue } from "@/lib/jobs";
import { deliverAttempt, ENDPOINT_MAX_IN_FLIGHT, type DeliveryOutcome } from "./deliver";
import { fanOutMessage, type DueAttempt } from "./fan-out";

/**
 * A retry due this soon is queued with a delay by the try that failed (the schedule's 5 s step,
 * a short Retry-After); a later one is the sweeper's, which also takes over any whose timer was lost.
 */
export const QUEUED_RETRY_MAX_MS = 60_000;

/**
 * One try of one message at one endpoint, in that endpoint's lane: at most ENDPOINT_MAX_IN_FLIGHT
 * at once per endpoint (per `concurrencyKey` on Trigger.dev), so a slow endpoint never holds
 * another's tries. A failure that retries soon queues its next try itself.
 */
export const deliverWebhookJob = defineJob(
  "deliver-webhook",
  z.object({ attemptId: z.uuid(), endpointId: z.uuid() }),
  async ({ attemptId }): Promise<DeliveryOutcome["result"]> => {
    const outcome = await deliverAttempt(db, attemptId);
    if (outcome.result === "failed" && outcome.next) {
      const wait = outcome.next.at.getTime() - Date.now();
      if (wait <= QUEUED_RETRY_MAX_MS) await queueAttempts([outcome.next], { delayMs: Math.max(0, wait) });
    }
    return outcome.result;
  },
  { lane: { key: (payload) => payload.endpointId, concurrency: ENDPOINT_MAX_IN_FLIGHT } },
);

/** Fans one message out (or hands it to Svix) once the change that wrote it has committed. */
export const dispatchMessageJob = defineJob(
  "dispatch-webhook-message",
  z.object({ messageId: z.string().min(1).max(64) }),
  ({ messageId }) => dispatchMessage(db, messageId),
);

/** Fans the message out and queues each first try in its endpoint's lane; returns how many. */
export async function dispatchMessage(database: Executor, messageId: string): Promise<number> {
  const attempts = await fanOutMessage(database, messageId);
  await queueAttempts(attempts);
  return attempts.length;
}

/**
 * Queues tries. The idempotency key (on Trigger.dev) keeps a repeated fan-out from starting a try
 * twice; the sweeper queues without one, since it re-queues tries whose run was lost, and a run
 * that finds its try taken or done does nothing.
 */
export async function queueAttempts(
  attempts: DueAttempt[],
  { delayMs, idempotent = true }: { delayMs?: number; idempotent?: boolean } = {},
) {
  for (const attempt of attempts)
    await enqueue(deliverWebhookJob, attempt, {
      delayMs,
      idempotencyKey: idempotent ? `webhook-attempt:${attempt.attemptId}` : undefined,
    });
}
