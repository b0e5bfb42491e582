import "server-only";
import { db as appDb, type Database } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";
import { enqueue, type EnqueueResult } from "@/lib/jobs";
import { resetWebhookEvent } from "./inbox";
import { processWebhookEventJob } from "./process";

/**
 * Runs a stored event again from scratch (e.g. a dead one after its handler
 * was fixed). Returns null for an unknown id.
 */
export async function replayWebhookEvent(
  id: string,
  database: Database = appDb,
): Promise<{ event: WebhookEvent; job: EnqueueResult } | null> {
  const event = await resetWebhookEvent(id, database);
  if (!event) return null;
  // No idempotency key: the original `provider:eventId` key would hand back the first run.
  const job = await enqueue(processWebhookEventJob, {
    provider: event.provider,
    eventId: event.eventId,
    requestId: event.requestId ?? undefined,
  });
  return { event, job };
}
