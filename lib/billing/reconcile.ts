import "server-only";
import { asc, eq, isNotNull, sql } from "drizzle-orm";
import Stripe from "stripe";
import { schema, type Executor } from "@/lib/db";
import { logger } from "@/lib/core/logger";
import { stripe } from "@/lib/billing/stripe";
import { markSeatsStale, syncSeats } from "@/lib/teams/seats";
import { systemActor } from "@/lib/audit";
import { auditBillingChange } from "./audit";
import { announcePlanChange, countMembers, getTeamPlan } from "./plans";
import { markSubscriptionsCanceled, saveSubscriptionState, subscriptionStateFrom } from "./subscriptions";

const { organization } = schema;

export type ReconcileResult =
  | { status: "skipped"; reason: string }
  | { status: "done"; customers: number; changed: number; seatsFixed: number; failed: number };

export type ReconcileOptions = { limit?: number };

/** Stops starting new customers after this long, well inside the cron route's 60 s; the rest wait for the next run. */
const TIME_BUDGET_MS = 40_000;

/** More than any one customer of this app should have; the rest would wait for the next run. */
const MAX_SUBSCRIPTIONS_PER_CUSTOMER = 100;

/**
 * The safety net behind the Stripe webhooks: asks Stripe for the
 * subscriptions of the teams' customers and repairs our rows, e.g. a
 * cancellation whose event never arrived, and sets a live subscription's seats
 * back to the team's member count where they drifted apart. Takes the `limit`
 * teams checked longest ago, so successive runs cover everyone. No-op without
 * STRIPE_SECRET_KEY.
 */
export async function reconcileSubscriptions(db: Executor, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const client = stripe;
  if (!client) return { status: "skipped", reason: "billing is not configured (STRIPE_SECRET_KEY unset)" };

  const customers = await db
    .select({ teamId: organization.id, customerId: organization.stripeCustomerId })
    .from(organization)
    .where(isNotNull(organization.stripeCustomerId))
    .orderBy(sql`${organization.billingCheckedAt} asc nulls first`, asc(organization.createdAt))
    .limit(options.limit ?? 100);

  const result = { status: "done" as const, customers: 0, changed: 0, seatsFixed: 0, failed: 0 };
  const stopAt = Date.now() + TIME_BUDGET_MS;
  for (const { teamId, customerId } of customers) {
    if (Date.now() > stopAt) break;
    result.customers += 1;
    try {
      result.changed += await reconcileCustomer(db, client, teamId, customerId!);
      if (await fixSeatDrift(db, teamId)) result.seatsFixed += 1;
    } catch (error) {
      // One customer's failure (Stripe down, a bad row) must not stop the others; the next run tries again.
      result.failed += 1;
      logger.warn({ err: error, teamId, customerId }, "could not reconcile a team's subscriptions");
    }
  }
  if (result.changed > 0 || result.failed > 0)
    logger.info({ job: "reconcile-subscriptions", ...result }, "reconciled subscriptions");
  return result;
}

/**
 * Where Stripe's seats (now stored on the row) differ from the team's member count, a seat sync
 * sets Stripe back to the member count. Returns whether it did.
 */
async function fixSeatDrift(db: Executor, teamId: string): Promise<boolean> {
  const [{ subscription }, members] = await Promise.all([getTeamPlan(db, teamId), countMembers(db, teamId)]);
  if (!subscription || subscription.quantity === members) return false;
  logger.warn({ teamId, subscriptionId: subscription.id, seats: subscription.quantity, members }, "seat drift found");
  await markSeatsStale(db, teamId);
  await syncSeats(db, teamId);
  return true;
}

/** Brings one team's rows in line with Stripe; returns how many rows changed. */
async function reconcileCustomer(db: Executor, client: Stripe, teamId: string, customerId: string): Promise<number> {
  // Stripe's answer is newer than any event from before this second; an event from this very second may be newer still, so it wins.
  const asOf = new Date((Math.floor(Date.now() / 1000) - 1) * 1000);
  const { subscriptions, complete } = await listSubscriptions(client, customerId);
  return db.transaction(async (tx) => {
    // Team row first, subscriptions second: the same lock order as the webhook handlers, so the two never deadlock.
    // Stamping billing_checked_at also moves this team to the back of the queue for the next run.
    await tx.update(organization).set({ billingCheckedAt: new Date() }).where(eq(organization.id, teamId));
    const before = await getTeamPlan(tx, teamId);
    const billedBefore = { plan: before.plan.id, seats: before.subscription?.quantity ?? null };
    let changed = 0;
    for (const subscription of subscriptions) {
      if (await saveSubscriptionState(tx, subscriptionStateFrom(subscription, teamId, asOf))) changed += 1;
    }
    // "all" includes canceled subscriptions: one Stripe does not list at all no longer exists.
    if (complete)
      changed += await markSubscriptionsCanceled(
        tx,
        customerId,
        subscriptions.map((s) => s.id),
        asOf,
      );
    // A repair that moves the team between Free and Pro reaches its open pages, like the webhook it stands in for.
    await announcePlanChange(tx, teamId, { unlessStill: before.plan.id });
    await auditBillingChange(tx, teamId, billedBefore, systemActor("billing reconciliation"));
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
