import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { countMembers, getTeamPlan } from "@/lib/billing/plans";
import { SIMULATED_CUSTOMER_PREFIX } from "@/lib/billing/customers";
import { stripe } from "@/lib/billing/stripe";
import { logger } from "@/lib/core/logger";
import { db as appDb, schema, type Executor } from "@/lib/db";
import { defineJob, enqueue } from "@/lib/jobs";

const { organization, subscriptions } = schema;

/** Per Stripe call of a seat sync: it runs in the background and the sweeper retries it. */
const STRIPE_REQUEST = { timeout: 10_000, maxNetworkRetries: 1 };

export type SeatSync =
  | { status: "in-sync" }
  | { status: "no-subscription"; seats: number }
  | { status: "synced"; seats: number; previous: number; subscriptionId: string };

/**
 * Pro is billed per member: makes the team's live subscription's quantity its member count. Runs
 * after a membership change commits (a job), from the sweeper for any team whose change Stripe has
 * not heard of yet, and from the nightly reconciliation. The change with proration goes to Stripe
 * with an idempotency key naming the membership version, so a retry never applies it twice and a
 * later change is never mistaken for an earlier one. Without Stripe (the /dev/stripe simulator) the
 * stored quantity is what changes.
 */
export async function syncSeats(db: Executor, teamId: string): Promise<SeatSync> {
  const [team] = await db
    .select({ version: organization.seatsVersion, synced: organization.seatsSyncedVersion })
    .from(organization)
    .where(eq(organization.id, teamId));
  if (!team || team.synced >= team.version) return { status: "in-sync" };
  const seats = await countMembers(db, teamId);
  const { subscription } = await getTeamPlan(db, teamId);
  let result: SeatSync = { status: "no-subscription", seats };
  if (subscription) {
    if (subscription.quantity !== seats && stripe && !subscription.customerId.startsWith(SIMULATED_CUSTOMER_PREFIX)) {
      const remote = await stripe.subscriptions.retrieve(subscription.id, {}, STRIPE_REQUEST);
      const item = remote.items.data[0];
      if (!item) throw new Error(`subscription ${subscription.id} has no item to set the seats of`);
      await stripe.subscriptions.update(
        subscription.id,
        { items: [{ id: item.id, quantity: seats }], proration_behavior: "create_prorations" },
        { ...STRIPE_REQUEST, idempotencyKey: `seats-${subscription.id}-v${team.version}` },
      );
    }
    await db.update(subscriptions).set({ quantity: seats }).where(eq(subscriptions.id, subscription.id));
    result = { status: "synced", seats, previous: subscription.quantity, subscriptionId: subscription.id };
  }
  await db
    .update(organization)
    .set({ seatsSyncedVersion: team.version })
    .where(and(eq(organization.id, teamId), lt(organization.seatsSyncedVersion, team.version)));
  if (result.status === "synced" && result.previous !== seats)
    logger.info({ teamId, subscriptionId: result.subscriptionId, seats, previous: result.previous }, "seats synced");
  return result;
}

export const syncSeatsJob = defineJob(
  "sync-seats",
  z.object({ organizationId: z.string().min(1), requestId: z.string().optional() }),
  ({ organizationId }) => syncSeats(appDb, organizationId),
);

/** Starts a seat sync for the team (after the membership change committed). */
export function queueSeatSync(teamId: string, version?: number) {
  return enqueue(
    syncSeatsJob,
    { organizationId: teamId },
    { idempotencyKey: version === undefined ? undefined : `seats:${teamId}:${version}` },
  );
}

/**
 * The sweeper's part: teams whose latest membership change Stripe has not heard of (Stripe was
 * down, the job never ran), synced until the deadline. Returns how many were synced and failed.
 */
export async function syncPendingSeats(
  db: Executor,
  { deadline = Number.POSITIVE_INFINITY, batchSize = 50 } = {},
): Promise<{ synced: number; failed: number }> {
  const counts = { synced: 0, failed: 0 };
  const due = await db
    .select({ id: organization.id })
    .from(organization)
    .where(lt(organization.seatsSyncedVersion, organization.seatsVersion))
    .limit(batchSize);
  for (const { id } of due) {
    if (Date.now() > deadline) break;
    try {
      await syncSeats(db, id);
      counts.synced++;
    } catch (error) {
      counts.failed++;
      logger.warn({ err: error, teamId: id }, "seat sync failed; the next sweep tries again");
    }
  }
  return counts;
}

/** Marks the team's seats as needing a sync (the reconciliation found Stripe's quantity off). */
export async function markSeatsStale(db: Executor, teamId: string): Promise<void> {
  await db
    .update(organization)
    .set({ seatsVersion: sql`${organization.seatsVersion} + 1` })
    .where(eq(organization.id, teamId));
}
