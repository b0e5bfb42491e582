import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { toRecipeJson } from "@/lib/api/recipes";
import { getTeamPlan } from "@/lib/billing/plans";
import { schema, type AfterCommit, type Executor } from "@/lib/db";
import type { Recipe } from "@/lib/db/schema";
import { enqueue } from "@/lib/jobs";
import { webhookPayload, type WebhookEventData, type WebhookEventType, type WebhookMessageType } from "./catalog";
import { dispatchMessageJob } from "./jobs";
import { svixConfigured } from "./svix";

const { member, subscriptions, user, webhookEndpoints, webhookMessages } = schema;

/** `msg_` and 32 hex characters: the `webhook-id` every try carries. */
export const newMessageId = () => `msg_${randomUUID().replaceAll("-", "")}`;

/**
 * The transactional outbox: writes the message a change announces in the change's own
 * transaction, so it exists exactly when the change committed (a rolled-back change announces
 * nothing), and starts its fan-out once the transaction has committed. Without `afterCommit` (or
 * when the job is lost) the sweeper fans it out within its next run. A team with no endpoint that
 * wants the type gets no message at all (unless Svix delivers: its endpoints live there).
 * Returns the message id, or null when nothing was written.
 */
export async function recordWebhookMessage<T extends WebhookEventType>(
  tx: Executor,
  afterCommit: AfterCommit | undefined,
  teamId: string,
  type: T,
  data: WebhookEventData[T],
): Promise<string | null> {
  if (!svixConfigured()) {
    const [wanted] = await tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(
        and(
          eq(webhookEndpoints.organizationId, teamId),
          eq(webhookEndpoints.enabled, true),
          or(isNull(webhookEndpoints.eventTypes), sql`${type} = any(${webhookEndpoints.eventTypes})`),
        ),
      )
      .limit(1);
    if (!wanted) return null;
  }
  return insertMessage(tx, afterCommit, { teamId, type, data });
}

/** Writes one message (also the test event, which names its one endpoint) and queues its fan-out after the commit. */
export async function insertMessage(
  tx: Executor,
  afterCommit: AfterCommit | undefined,
  { teamId, type, data, endpointId }: { teamId: string; type: WebhookMessageType; data: unknown; endpointId?: string },
): Promise<string> {
  const id = newMessageId();
  await tx.insert(webhookMessages).values({
    id,
    organizationId: teamId,
    type,
    payload: webhookPayload(type, data),
    endpointId: endpointId ?? null,
  });
  afterCommit?.(() => enqueue(dispatchMessageJob, { messageId: id }, { idempotencyKey: `webhook-message:${id}` }));
  return id;
}

/** A recipe as the `recipe.*` events carry it: the public API's form of it, with its team. */
export function recipeEventData(recipe: Recipe): WebhookEventData["recipe.created"] {
  const { id, ...fields } = toRecipeJson(recipe);
  return { id, team_id: recipe.organizationId, ...fields };
}

export type RecipeChange = "created" | "updated" | "published" | "unpublished" | "deleted";

/** `recipe.<change>`: call it in the transaction that made the change. */
export function announceRecipeWebhook(tx: Executor, afterCommit: AfterCommit, recipe: Recipe, change: RecipeChange) {
  return recordWebhookMessage(tx, afterCommit, recipe.organizationId, `recipe.${change}`, recipeEventData(recipe));
}

/** `member.added` / `member.removed`: who (as they are now), and their role (null once removed). */
export async function announceMemberWebhook(
  tx: Executor,
  afterCommit: AfterCommit,
  teamId: string,
  userId: string,
  change: "added" | "removed",
) {
  const [person] = await tx
    .select({ name: user.name, email: user.email, role: member.role })
    .from(user)
    .leftJoin(member, and(eq(member.userId, user.id), eq(member.organizationId, teamId)))
    .where(eq(user.id, userId));
  return recordWebhookMessage(tx, afterCommit, teamId, `member.${change}`, {
    team_id: teamId,
    user_id: userId,
    name: person?.name ?? null,
    email: person?.email ?? null,
    role: person?.role ?? null,
  });
}

/**
 * `subscription.updated`: the subscription as stored now and the plan the team is on. Call it in
 * the transaction that wrote the subscription row, when it did write it. Without `afterCommit`
 * (the nightly reconciliation) the sweeper sends it.
 */
export async function announceSubscriptionWebhook(
  tx: Executor,
  afterCommit: AfterCommit | undefined,
  subscriptionId: string,
) {
  const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
  // A deleted team's payment record has nobody left to tell.
  if (!row?.organizationId) return null;
  const { plan } = await getTeamPlan(tx, row.organizationId);
  return recordWebhookMessage(tx, afterCommit, row.organizationId, "subscription.updated", {
    team_id: row.organizationId,
    plan: plan.id,
    subscription: {
      id: row.id,
      status: row.status,
      quantity: row.quantity,
      current_period_end: row.currentPeriodEnd?.toISOString() ?? null,
      cancel_at_period_end: row.cancelAtPeriodEnd,
    },
  });
}
