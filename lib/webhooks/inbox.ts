import "server-only";
import { desc, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
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
 *
 * Postgres cannot store some strings JSON can carry (NUL, lone surrogates). Such
 * an event is still stored, whole, as its raw body (`payload.rawBody`), and
 * marked dead with the reason: retrying could never fix it, so the provider gets
 * its 200 and the event shows in the inbox.
 */
export async function recordWebhookEvent(
  db: Executor,
  event: IncomingWebhookEvent & { rawBody?: string },
): Promise<{ isNew: boolean; unstorable: boolean }> {
  const unstorable = !storableInPostgres(event.payload);
  const insert = (executor: Executor) =>
    executor
      .insert(webhookEvents)
      .values({
        provider: event.provider,
        eventId: storableText(event.eventId),
        type: storableText(event.type),
        ...(unstorable
          ? {
              // The raw body is JSON text, where NUL and lone surrogates are \u escapes that Postgres stores as they are.
              payload: { rawBody: (event.rawBody ?? JSON.stringify(event.payload)).replaceAll("\u0000", "\\u0000") },
              status: "dead" as const,
              lastError: UNSTORABLE_PAYLOAD,
            }
          : { payload: event.payload }),
        requestId: event.requestId ?? null,
      })
      .onConflictDoNothing({ target: [webhookEvents.provider, webhookEvents.eventId] })
      .returning({ id: webhookEvents.id });
  // One statement, one round trip, on the route every provider delivery hits.
  const [inserted] = await insert(db);
  return { isNew: Boolean(inserted), unstorable };
}

export const UNSTORABLE_PAYLOAD =
  "payload holds text Postgres cannot store (NUL or a lone surrogate): kept as payload.rawBody, not processed";

/** Whether every string in a JSON value (keys included) is one Postgres text and jsonb can hold. */
export function storableInPostgres(value: unknown): boolean {
  if (typeof value === "string") return value.isWellFormed() && !value.includes("\u0000");
  if (Array.isArray(value)) return value.every(storableInPostgres);
  if (typeof value === "object" && value !== null)
    return Object.entries(value).every(([key, item]) => storableInPostgres(key) && storableInPostgres(item));
  return true;
}

// Ids and types are short labels: a character Postgres cannot hold becomes U+FFFD rather than a refusal.
function storableText(text: string) {
  return text.toWellFormed().replaceAll("\u0000", "\uFFFD");
}

/** The newest events first, for the developer view. */
export function listRecentWebhookEvents(db: Executor, limit = 50): Promise<WebhookEvent[]> {
  return db.select().from(webhookEvents).orderBy(desc(webhookEvents.receivedAt)).limit(limit);
}

/**
 * Puts an event back to the start of its life (pending, no attempts), e.g. a
 * dead event after its handler was fixed. Returns the row, or null for an unknown id.
 */
export async function resetWebhookEvent(db: Executor, id: string): Promise<WebhookEvent | null> {
  const [event] = await db
    .update(webhookEvents)
    .set({ status: "pending", attempts: 0, lastError: null, nextAttemptAt: null, lockedAt: null, processedAt: null })
    .where(eq(webhookEvents.id, id))
    .returning();
  return event ?? null;
}
