import "server-only";
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { ApiException } from "svix";
import { logger } from "@/lib/core/logger";
import { schema, type Executor } from "@/lib/db";
import { sendMessageToSvix, svixConfigured } from "./svix";

const { organization, webhookAttempts, webhookEndpoints, webhookMessages } = schema;

/** One try to make: its row, and the endpoint whose lane it runs in. */
export type DueAttempt = { attemptId: string; endpointId: string };

/**
 * Fans a message out: one first try (a `webhook_attempts` row) for each of the team's endpoints
 * that wants its type and existed when it was written (or, for a test event, its one endpoint), and
 * marks it dispatched, in one transaction. Running it twice (a retried job, the sweeper) writes
 * each try once and returns the first tries still waiting, so they are queued again. With Svix the
 * message is handed to Svix instead. Returns the tries to queue.
 */
export async function fanOutMessage(db: Executor, messageId: string): Promise<DueAttempt[]> {
  const [message] = await db.select().from(webhookMessages).where(eq(webhookMessages.id, messageId));
  if (!message) return [];
  if (svixConfigured()) {
    if (message.dispatchedAt) return [];
    const [team] = await db
      .select({ id: organization.id, name: organization.name })
      .from(organization)
      .where(eq(organization.id, message.organizationId));
    if (!team) return [];
    await handToSvix(message, team);
    await db.update(webhookMessages).set({ dispatchedAt: new Date() }).where(eq(webhookMessages.id, message.id));
    logger.info({ messageId, teamId: team.id, type: message.type }, "webhook message handed to Svix");
    return [];
  }
  return db.transaction(async (tx) => {
    if (!message.dispatchedAt) {
      const targets = await tx
        .select({ id: webhookEndpoints.id })
        .from(webhookEndpoints)
        .where(
          message.endpointId
            ? eq(webhookEndpoints.id, message.endpointId)
            : and(
                eq(webhookEndpoints.organizationId, message.organizationId),
                eq(webhookEndpoints.enabled, true),
                lte(webhookEndpoints.createdAt, message.createdAt),
                or(isNull(webhookEndpoints.eventTypes), sql`${message.type} = any(${webhookEndpoints.eventTypes})`),
              ),
        );
      if (targets.length)
        await tx
          .insert(webhookAttempts)
          .values(
            targets.map((endpoint) => ({ messageId, endpointId: endpoint.id, attempt: 1, nextAttemptAt: new Date() })),
          )
          .onConflictDoNothing();
      await tx.update(webhookMessages).set({ dispatchedAt: new Date() }).where(eq(webhookMessages.id, messageId));
    }
    const waiting = await tx
      .select({ attemptId: webhookAttempts.id, endpointId: webhookAttempts.endpointId })
      .from(webhookAttempts)
      .where(
        and(
          eq(webhookAttempts.messageId, messageId),
          eq(webhookAttempts.attempt, 1),
          eq(webhookAttempts.status, "pending"),
        ),
      );
    return waiting;
  });
}

async function handToSvix(message: typeof webhookMessages.$inferSelect, team: { id: string; name: string }) {
  try {
    await sendMessageToSvix(message, team);
  } catch (error) {
    // 409: Svix holds a message with this id already (handed over before, its idempotency window past).
    if (error instanceof ApiException && error.code === 409) return;
    throw error;
  }
}
