import "server-only";
import { asc, eq, isNotNull } from "drizzle-orm";
import Stripe from "stripe";
import { schema, type Executor } from "@/lib/db";
import { logger } from "@/lib/logger";
import { stripe } from "@/lib/stripe";
import { announcePlanChange, getUserPlan } from "./plans";
import { markSubscriptionsCanceled, saveSubscriptionState, subscriptionStateFrom } from "./subscriptions";

const { user } = schema;

export type ReconcileResult =
  { status: "skipped"; reason: string } | { status: "done"; customers: number; changed: number; failed: number };

export type ReconcileOptions = { limit?: number };

/** Stops starting new customers after this long, well inside the cron route's 60 s; the rest wait for the next run. */
const TIME_BUDGET_MS = 40_000;

/** More than any one customer of this app should have; the rest would wait for the next run. */
const MAX_SUBSCRIPTIONS_PER_CUSTOMER = 100;

/**
 * The safety net behind the Stripe webhooks: asks Stripe for the
 * subscriptions of the customers we know and repairs our rows, e.g. a
 * cancellation whose event never arrived. Takes the `limit` customers checked
 * longest ago, so successive runs cover everyone. No-op without STRIPE_SECRET_KEY.
 */
export async function reconcileSubscriptions(db: Executor, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const client = stripe;
  if (!client) return { status: "skipped", reason: "billing is not configured (STRIPE_SECRET_KEY unset)" };

  const customers = await db
    .select({ userId: user.id, customerId: user.stripeCustomerId })
    .from(user)
    .where(isNotNull(user.stripeCustomerId))
    .orderBy(asc(user.updatedAt))
    .limit(options.limit ?? 100);

  const result = { status: "done" as const, customers: 0, changed: 0, failed: 0 };
  const stopAt = Date.now() + TIME_BUDGET_MS;
  for (const { userId, customerId } of customers) {
    if (Date.now() > stopAt) break;
    result.customers += 1;
    try {
      result.changed += await reconcileCustomer(db, client, userId, customerId!);
    } catch (error) {
      // One customer's failure (Stripe down, a bad row) must not stop the others; the next run tries again.
      result.failed += 1;
      logger.warn({ err: error, userId, customerId }, "could not reconcile a customer's subscriptions");
    }
  }
  if (result.changed > 0 || result.failed > 0)
    logger.info({ job: "reconcile-subscriptions", ...result }, "reconciled subscriptions");
  return result;
}

/** Brings one customer's rows in line with Stripe; returns how many rows changed. */
async function reconcileCustomer(db: Executor, client: Stripe, userId: string, customerId: string): Promise<number> {
  // Stripe's answer is newer than any event from before this second; an event from this very second may be newer still, so it wins.
  const asOf = new Date((Math.floor(Date.now() / 1000) - 1) * 1000);
  const { subscriptions, complete } = await listSubscriptions(client, customerId);
  return db.transaction(async (tx) => {
    // User row first, subscriptions second: the same lock order as the webhook handlers, so the two never deadlock.
    // Touching updated_at also moves this customer to the back of the queue for the next run.
    await tx.update(user).set({ updatedAt: new Date() }).where(eq(user.id, userId));
    const before = await getUserPlan(tx, userId);
    let changed = 0;
    for (const subscription of subscriptions) {
      if (await saveSubscriptionState(tx, subscriptionStateFrom(subscription, userId, asOf))) changed += 1;
    }
    // "all" includes canceled subscriptions: one Stripe does not list at all no longer exists.
    if (complete)
      changed += await markSubscriptionsCanceled(
        tx,
        customerId,
        subscriptions.map((s) => s.id),
        asOf,
      );
    // A repair that moves the user between Free and Pro reaches their open pages, like the webhook it stands in for.
    await announcePlanChange(tx, userId, { unlessStill: before.plan.id });
    return changed;
  });
}

/** Every subscription Stripe has for the customer (`complete`), or the first MAX of them. */
async function listSubscriptions(client: Stripe, customerId: string) {
  const subscriptions: Stripe.Subscription[] = [];
  try {
    for await (const subscription of client.subscriptions.list({ customer: customerId, status: "all", limit: 100 })) {
      if (subscriptions.length === MAX_SUBSCRIPTIONS_PER_CUSTOMER) return { subscriptions, complete: false };
      subscriptions.push(subscription);
    }
  } catch (error) {
    // A deleted (or simulated) customer has no subscriptions left.
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing")
      return { subscriptions: [], complete: true };
    throw error;
  }
  return { subscriptions, complete: true };
}
