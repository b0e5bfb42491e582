import "server-only";
import { and, asc, count, desc, eq, gte, inArray, isNotNull, min, or, sql, sum } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

const { webhookEvents, emails, webhookEndpoints, organization, aiGenerations } = schema;

/** How many rows each list on the health page shows (the counts are over everything). */
export const HEALTH_LIST_LIMIT = 20;

/** Midnight UTC of `now`'s day: "today" on the health page. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * The system's health on one page, each figure from the table that holds it: the webhook inbox's backlog (events
 * received and not yet processed) and its dead events (out of attempts), emails that failed, outbound webhook
 * endpoints that are failing or turned off by the app, and today's AI usage. Error texts are the ones the app
 * stored (already scrubbed when written); no payload or body is read.
 */
export async function systemHealth(db: Executor, now = new Date()) {
  const today = startOfUtcDay(now);
  const [inbox, deadEvents, emailFailures, failingEmails, endpoints, ai, aiByModel] = await Promise.all([
    db
      .select({ status: webhookEvents.status, events: count(), oldest: min(webhookEvents.receivedAt) })
      .from(webhookEvents)
      .where(inArray(webhookEvents.status, ["pending", "processing", "failed", "dead"]))
      .groupBy(webhookEvents.status),
    db
      .select({
        id: webhookEvents.id,
        provider: webhookEvents.provider,
        type: webhookEvents.type,
        attempts: webhookEvents.attempts,
        lastError: webhookEvents.lastError,
        receivedAt: webhookEvents.receivedAt,
      })
      .from(webhookEvents)
      .where(eq(webhookEvents.status, "dead"))
      .orderBy(desc(webhookEvents.receivedAt))
      .limit(HEALTH_LIST_LIMIT),
    db.select({ emails: count() }).from(emails).where(eq(emails.status, "failed")),
    db
      .select({
        id: emails.id,
        template: emails.template,
        attempts: emails.attempts,
        lastError: emails.lastError,
        createdAt: emails.createdAt,
      })
      .from(emails)
      .where(eq(emails.status, "failed"))
      .orderBy(desc(emails.updatedAt))
      .limit(HEALTH_LIST_LIMIT),
    db
      .select({
        id: webhookEndpoints.id,
        url: webhookEndpoints.url,
        teamSlug: organization.slug,
        enabled: webhookEndpoints.enabled,
        disabledReason: webhookEndpoints.disabledReason,
        disabledAt: webhookEndpoints.disabledAt,
        failingSince: webhookEndpoints.failingSince,
      })
      .from(webhookEndpoints)
      .innerJoin(organization, eq(organization.id, webhookEndpoints.organizationId))
      .where(
        or(
          isNotNull(webhookEndpoints.failingSince),
          and(eq(webhookEndpoints.enabled, false), inArray(webhookEndpoints.disabledReason, ["gone", "failing"])),
        ),
      )
      .orderBy(asc(webhookEndpoints.failingSince), desc(webhookEndpoints.disabledAt))
      .limit(HEALTH_LIST_LIMIT),
    db
      .select({ status: aiGenerations.status, calls: count() })
      .from(aiGenerations)
      .where(gte(aiGenerations.createdAt, today))
      .groupBy(aiGenerations.status),
    db
      .select({
        model: aiGenerations.model,
        calls: count(),
        inputTokens: sql<number>`coalesce(${sum(aiGenerations.inputTokens)}, 0)`.mapWith(Number),
        outputTokens: sql<number>`coalesce(${sum(aiGenerations.outputTokens)}, 0)`.mapWith(Number),
      })
      .from(aiGenerations)
      .where(gte(aiGenerations.createdAt, today))
      .groupBy(aiGenerations.model)
      .orderBy(desc(count())),
  ]);
  const inboxCount = (status: string) => inbox.find((row) => row.status === status)?.events ?? 0;
  const backlog = inbox.filter((row) => row.status !== "dead");
  const oldestBacklog = backlog
    .map((row) => row.oldest)
    .filter((oldest): oldest is Date => oldest !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const aiCount = (status: string) => ai.find((row) => row.status === status)?.calls ?? 0;
  return {
    inbox: {
      pending: inboxCount("pending"),
      processing: inboxCount("processing"),
      failed: inboxCount("failed"),
      dead: inboxCount("dead"),
      oldestWaitingSince: oldestBacklog ?? null,
      deadEvents,
    },
    emails: { failed: emailFailures[0]?.emails ?? 0, failing: failingEmails },
    endpoints,
    ai: {
      since: today,
      calls: ai.reduce((total, row) => total + row.calls, 0),
      succeeded: aiCount("succeeded"),
      failed: aiCount("failed"),
      aborted: aiCount("aborted"),
      pending: aiCount("pending"),
      byModel: aiByModel,
    },
  };
}

export type SystemHealth = Awaited<ReturnType<typeof systemHealth>>;
