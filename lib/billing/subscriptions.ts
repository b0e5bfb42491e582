import "server-only";
import { and, eq, inArray, isNull, lt, lte, notInArray, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type Stripe from "stripe";
import { schema, type Executor } from "@/lib/db";

const { member, organization, subscriptions } = schema;

/** Stripe never moves a subscription out of these, so no later (or same-second) event may revive it. */
export const FINAL_STATUSES = ["canceled", "incomplete_expired"];

export type SubscriptionState = {
  id: string;
  /** The team that pays. */
  organizationId: string;
  customerId: string;
  /** Seats: the subscription item's quantity. */
  quantity: number;
  status: string;
  priceId: string | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** When Stripe's view of the subscription was taken: `event.created`, or the time of an API read. */
  lastEventAt: Date;
};

export const fromUnixSeconds = (seconds: number) => new Date(seconds * 1000);

/** Stripe fields that may be an id or an expanded object. */
export const idOf = (value: string | { id: string }) => (typeof value === "string" ? value : value.id);

/** Our row for a Stripe subscription object. Since API 2025-03 the period lives on the items, not the subscription. */
export function subscriptionStateFrom(
  subscription: Stripe.Subscription,
  organizationId: string,
  asOf: Date,
): SubscriptionState {
  const item = subscription.items.data[0];
  return {
    id: subscription.id,
    organizationId,
    customerId: idOf(subscription.customer),
    quantity: item?.quantity ?? 1,
    status: subscription.status,
    priceId: item?.price.id ?? null,
    currentPeriodEnd: item ? fromUnixSeconds(item.current_period_end) : null,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    lastEventAt: asOf,
  };
}

const excluded = (column: AnyPgColumn) => sql`excluded.${sql.identifier(column.name)}`;

const notFinal = notInArray(subscriptions.status, FINAL_STATUSES);

async function upsert(tx: Executor, state: SubscriptionState, columns: (keyof SubscriptionState)[], applies: SQL) {
  const set = Object.fromEntries(columns.map((key) => [key, excluded(subscriptions[key])]));
  const written = await tx
    .insert(subscriptions)
    .values(state)
    .onConflictDoUpdate({ target: subscriptions.id, set: { ...set, updatedAt: new Date() }, setWhere: applies })
    .returning({ id: subscriptions.id });
  return written.length > 0;
}

/**
 * Stores the full state of a subscription (from a `customer.subscription.*`
 * event or an API read) unless we already hold a newer one: events arrive in
 * any order, so one older than the stored `lastEventAt` changes nothing, and a
 * final status stays final. Same-second events apply in arrival order.
 * Returns true when the row was written.
 */
export function saveSubscriptionState(tx: Executor, state: SubscriptionState): Promise<boolean> {
  const columns: (keyof SubscriptionState)[] = [
    "organizationId",
    "customerId",
    "quantity",
    "status",
    "priceId",
    "currentPeriodEnd",
    "cancelAtPeriodEnd",
    "lastEventAt",
  ];
  return upsert(
    tx,
    state,
    columns,
    and(lte(subscriptions.lastEventAt, excluded(subscriptions.lastEventAt)), notFinal)!,
  );
}

/**
 * What a completed Checkout tells us before the subscription's own events do:
 * it exists, belongs to this team and is paid. Creates the row, or updates
 * only its status, and only over strictly older information (the
 * subscription's own events carry the full state and win same-second ties).
 */
export function saveCheckoutSubscription(tx: Executor, state: SubscriptionState): Promise<boolean> {
  return upsert(
    tx,
    state,
    ["organizationId", "customerId", "status", "lastEventAt"],
    and(lt(subscriptions.lastEventAt, excluded(subscriptions.lastEventAt)), notFinal)!,
  );
}

/** A paid invoice ends a payment problem: back to active, unless newer news arrived already. */
export async function markSubscriptionPaid(tx: Executor, subscriptionId: string, at: Date): Promise<boolean> {
  const updated = await tx
    .update(subscriptions)
    .set({ status: "active", lastEventAt: at })
    .where(
      and(
        eq(subscriptions.id, subscriptionId),
        inArray(subscriptions.status, ["past_due", "unpaid", "incomplete"]),
        lt(subscriptions.lastEventAt, at),
      ),
    )
    .returning({ id: subscriptions.id });
  return updated.length > 0;
}

/**
 * Marks a customer's subscriptions canceled, except those in `keep` and those with news from `at`
 * or later (used when Stripe no longer lists them).
 */
export async function markSubscriptionsCanceled(
  tx: Executor,
  customerId: string,
  keep: string[],
  at: Date,
): Promise<number> {
  const updated = await tx
    .update(subscriptions)
    .set({ status: "canceled", lastEventAt: at })
    .where(
      and(
        eq(subscriptions.customerId, customerId),
        keep.length > 0 ? notInArray(subscriptions.id, keep) : undefined,
        notFinal,
        lt(subscriptions.lastEventAt, at),
      ),
    )
    .returning({ id: subscriptions.id });
  return updated.length;
}

/**
 * The team a Stripe customer belongs to: the stored link first, then the team our Checkout put in
 * the metadata (`organizationId`), then, for subscriptions bought before teams existed, the personal
 * team of the `userId` in their metadata. Null when it is not one of ours.
 */
export async function findTeamIdForCustomer(
  tx: Executor,
  customerId: string,
  metadata: { organizationId?: string | null; userId?: string | null } = {},
): Promise<string | null> {
  const [linked] = await tx
    .select({ id: organization.id })
    .from(organization)
    .where(eq(organization.stripeCustomerId, customerId));
  if (linked) return linked.id;
  if (metadata.organizationId) {
    const [team] = await tx
      .select({ id: organization.id })
      .from(organization)
      .where(eq(organization.id, metadata.organizationId));
    if (team) return team.id;
  }
  if (!metadata.userId) return null;
  const [personal] = await tx
    .select({ id: organization.id })
    .from(organization)
    .innerJoin(member, eq(member.organizationId, organization.id))
    .where(and(eq(organization.personal, true), eq(member.userId, metadata.userId)));
  return personal?.id ?? null;
}

/**
 * Stores the team's Stripe customer id. `replace`: a completed Checkout is
 * authoritative (it paid as that customer); otherwise only an empty link is filled.
 */
export async function linkStripeCustomer(tx: Executor, teamId: string, customerId: string, { replace = false } = {}) {
  await tx
    .update(organization)
    .set({ stripeCustomerId: customerId })
    .where(and(eq(organization.id, teamId), replace ? undefined : isNull(organization.stripeCustomerId)));
}
