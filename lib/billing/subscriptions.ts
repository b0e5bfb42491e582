import "server-only";
import { and, eq, inArray, isNull, lt, lte, notInArray, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type Stripe from "stripe";
import { schema, type Executor } from "@/lib/db";

const { subscriptions, user } = schema;

/** Stripe never moves a subscription out of these, so no later (or same-second) event may revive it. */
export const FINAL_STATUSES = ["canceled", "incomplete_expired"];

export type SubscriptionState = {
  id: string;
  userId: string;
  customerId: string;
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
  userId: string,
  asOf: Date,
): SubscriptionState {
  const item = subscription.items.data[0];
  return {
    id: subscription.id,
    userId,
    customerId: idOf(subscription.customer),
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
    "userId",
    "customerId",
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
 * it exists, belongs to this user and is paid. Creates the row, or updates
 * only its status, and only over strictly older information (the
 * subscription's own events carry the full state and win same-second ties).
 */
export function saveCheckoutSubscription(tx: Executor, state: SubscriptionState): Promise<boolean> {
  return upsert(
    tx,
    state,
    ["userId", "customerId", "status", "lastEventAt"],
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

/** Marks a customer's subscriptions canceled, except those in `keep` and those with news from `at` or later (used when Stripe no longer lists them). */
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
 * The user a Stripe customer belongs to: the stored link first, then the
 * `userId` our Checkout put in the metadata. Null when it is not one of ours.
 */
export async function findUserIdForCustomer(
  tx: Executor,
  customerId: string,
  metadataUserId?: string | null,
): Promise<string | null> {
  const [linked] = await tx.select({ id: user.id }).from(user).where(eq(user.stripeCustomerId, customerId));
  if (linked) return linked.id;
  if (!metadataUserId) return null;
  const [byMetadata] = await tx.select({ id: user.id }).from(user).where(eq(user.id, metadataUserId));
  return byMetadata?.id ?? null;
}

/**
 * Stores the user's Stripe customer id. `replace`: a completed Checkout is
 * authoritative (they paid as that customer); otherwise only an empty link is filled.
 */
export async function linkStripeCustomer(tx: Executor, userId: string, customerId: string, { replace = false } = {}) {
  await tx
    .update(user)
    .set({ stripeCustomerId: customerId })
    .where(and(eq(user.id, userId), replace ? undefined : isNull(user.stripeCustomerId)));
}
