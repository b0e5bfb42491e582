import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { db, schema, type Database, type Executor } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";
import { webhookProviders } from "@/lib/webhooks/registry";
import type { WebhookHandlerMap, WebhookVerifier } from "@/lib/webhooks/types";

/** For tests of processing alone: their events go straight into the table, never through a delivery. */
const refuseAll: WebhookVerifier = () => {
  throw new Error("this test provider takes no deliveries");
};

/**
 * Registers a provider only this test knows, in the app's provider registry. Each test file has
 * its own database, but tests in one file share it, and the sweeper only picks up registered
 * providers: a test's sweep never processes another test's events.
 */
export function registerTestProvider(
  handlers: WebhookHandlerMap,
  { verify = refuseAll }: { verify?: WebhookVerifier } = {},
): string {
  const provider = `test-${randomUUID()}`;
  webhookProviders.set(provider, { verify, handlers });
  return provider;
}

/**
 * A handler that leaves a trace in a real table through the processing
 * transaction: "ran exactly once" becomes a row count, and a rolled-back run leaves none.
 */
export const recordHandled = async (tx: Executor, event: WebhookEvent): Promise<void> => {
  await tx.insert(schema.contactMessages).values({
    name: "webhook inbox test",
    email: "inbox-test@example.com",
    subject: event.eventId,
    message: event.type,
  });
};

export async function handledCount(eventId: string, database: Database = db): Promise<number> {
  const rows = await database
    .select({ id: schema.contactMessages.id })
    .from(schema.contactMessages)
    .where(eq(schema.contactMessages.subject, eventId));
  return rows.length;
}

export async function findEvent(
  provider: string,
  eventId: string,
  database: Database = db,
): Promise<WebhookEvent | undefined> {
  const [row] = await database
    .select()
    .from(schema.webhookEvents)
    .where(and(eq(schema.webhookEvents.provider, provider), eq(schema.webhookEvents.eventId, eventId)));
  return row;
}

/** Stores an event directly, e.g. one received two minutes ago whose job never ran. */
export async function storeEvent(
  provider: string,
  fields: Partial<typeof schema.webhookEvents.$inferInsert> = {},
): Promise<WebhookEvent> {
  const eventId = fields.eventId ?? `evt_${randomUUID()}`;
  const [row] = await db
    .insert(schema.webhookEvents)
    .values({ provider, eventId, type: "thing.happened", payload: { id: eventId, type: "thing.happened" }, ...fields })
    .returning();
  return row!;
}

/**
 * A moment after the last of these events arrived. The database stamps `received_at` in
 * microseconds and a Date keeps milliseconds, so `new Date()` taken right after an insert can
 * fall before it, and a claim with no grace would find the event not yet due.
 */
export const justAfter = (...events: WebhookEvent[]) =>
  new Date(Math.max(...events.map((event) => event.receivedAt.getTime())) + 1);

export const minutesAgo = (minutes: number, from = new Date()) => new Date(from.getTime() - minutes * 60_000);
