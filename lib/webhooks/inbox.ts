import "server-only";
import { desc, eq } from "drizzle-orm";
import { db as appDb, schema, type Database } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";

const { webhookEvents } = schema;

export type IncomingWebhookEvent = {
  provider: string;
  eventId: string;
  type: string;
  /** The verified event as the provider sent it: kept whole for debugging and replay. */
  payload: unknown;
  requestId?: string | null;
};

/**
 * Stores a verified event before anything else happens. Providers deliver at
 * least once: the unique (provider, event_id) turns a redelivery into a no-op.
 */
export async function recordWebhookEvent(
  event: IncomingWebhookEvent,
  database: Database = appDb,
): Promise<{ isNew: boolean }> {
  const inserted = await database
    .insert(webhookEvents)
    .values({
      provider: event.provider,
      eventId: event.eventId,
      type: event.type,
      payload: event.payload,
      requestId: event.requestId ?? null,
    })
    .onConflictDoNothing({ target: [webhookEvents.provider, webhookEvents.eventId] })
    .returning({ id: webhookEvents.id });
  return { isNew: inserted.length > 0 };
}

/** The newest events first, for the developer view. */
export function listRecentWebhookEvents(limit = 50, database: Database = appDb): Promise<WebhookEvent[]> {
  return database.select().from(webhookEvents).orderBy(desc(webhookEvents.receivedAt)).limit(limit);
}

/**
 * Puts an event back to the start of its life (pending, no attempts), e.g. a
 * dead event after its handler was fixed. Returns the row, or null for an unknown id.
 */
export async function resetWebhookEvent(id: string, database: Database = appDb): Promise<WebhookEvent | null> {
  const [event] = await database
    .update(webhookEvents)
    .set({ status: "pending", attempts: 0, lastError: null, nextAttemptAt: null, lockedAt: null, processedAt: null })
    .where(eq(webhookEvents.id, id))
    .returning();
  return event ?? null;
}
