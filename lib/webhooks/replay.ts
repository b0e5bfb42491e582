import "server-only";
import type { Executor } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";
import { enqueue, type EnqueueResult } from "@/lib/jobs";
import { resetWebhookEvent } from "./inbox";
import { processWebhookEventJob } from "./process";

/**
 * Runs a stored event again from scratch (e.g. a dead one after its handler
 * was fixed). Returns null for an unknown id.
 */
export async function replayWebhookEvent(
  db: Executor,
  id: string,
): Promise<{ event: WebhookEvent; job: EnqueueResult } | null> {
  const event = await resetWebhookEvent(db, id);
  if (!event) return null;
  // No idempotency key: the original `provider:eventId` key would hand back the first run.
  const job = await enqueue(processWebhookEventJob, {
    provider: event.provider,
    eventId: event.eventId,
    requestId: event.requestId ?? undefined,
  });
  return { event, job };
}
