import "server-only";
import { and, eq, notInArray, or, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import Stripe from "stripe";
import { SIMULATED_CUSTOMER_PREFIX } from "@/lib/billing/customers";
import { FINAL_STATUSES, saveSubscriptionState, subscriptionStateFrom } from "@/lib/billing/subscriptions";
import { schema, type Executor } from "@/lib/db";
import { normalizeAddress, sendEmail } from "@/lib/email";
import { logger } from "@/lib/logger";
import { deleteObjects, deleteObjectsUnder, getStorage } from "@/lib/storage";
import { stripe } from "@/lib/stripe";
import { withTimeout } from "@/lib/timing";

const { user, subscriptions, uploads, emails, webhookEvents, verification } = schema;

/** Each outside step (Stripe, the bucket) must finish within this, or the deletion stops before the database. */
export const DELETION_STEP_TIMEOUT_MS = 20_000;
/** Per Stripe call: a person is waiting, so fail sooner than the client's default 10 s with two retries. */
const STRIPE_REQUEST = { timeout: 8_000, maxNetworkRetries: 1 };

/** Which step stopped a deletion. Nothing in the database was deleted; the steps before it stay done. */
export class AccountDeletionError extends Error {
  constructor(
    readonly step: "billing" | "storage",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AccountDeletionError";
  }
}

export type AccountDeletion = { subscriptionsCanceled: number; photosDeleted: number };

/**
 * Deletes an account, in this order:
 *
 * 1. Stripe: every live subscription of the customer is canceled at once, and
 *    recorded on our row. First, because an account deleted while its card is
 *    still charged is the one outcome nobody can undo; if Stripe fails or times
 *    out, nothing else has happened and the person can simply try again (the
 *    cancel's idempotency key makes a retry safe).
 * 2. The bucket: every photo object (by the user's rows, then anything left
 *    under their `<userId>/` prefix). Before the database, because once the
 *    rows are gone nothing would remember the keys; if it fails, the rows are
 *    still there and a retry deletes what is left.
 * 3. One transaction: the emails to their address, the inbox's webhook events
 *    that mention them, their verification tokens, then the user row, whose
 *    cascade takes sessions, sign-in methods, recipes, photo rows, AI
 *    generations and real-time events. Subscriptions stay, with `user_id`
 *    null, as payment records. The goodbye email is queued in the same
 *    transaction (sent after commit), through the pipeline, so a suppressed
 *    address is respected.
 *
 * Deleting the session rows ends every session at once: sessions are looked up
 * on every request (no cookie cache).
 */
export async function deleteAccount(db: Executor, userId: string): Promise<AccountDeletion> {
  const [account] = await db.select().from(user).where(eq(user.id, userId));
  if (!account) return { subscriptionsCanceled: 0, photosDeleted: 0 };
  const log = logger.child({ userId });

  const subscriptionsCanceled = await step("billing", "Your subscription could not be canceled with Stripe", () =>
    cancelSubscriptions(db, account),
  );
  const photosDeleted = await step("storage", "Your photos could not be deleted from storage", () =>
    deletePhotoObjects(db, userId),
  );

  const afterCommit: (() => Promise<unknown>)[] = [];
  await db.transaction(async (tx) => {
    const [locked] = await tx.select().from(user).where(eq(user.id, userId)).for("update");
    if (!locked) return;
    const address = normalizeAddress(locked.email);
    await tx.delete(emails).where(eq(emails.to, address));
    await tx
      .delete(webhookEvents)
      .where(
        or(
          mentions(webhookEvents.payload, address),
          locked.stripeCustomerId ? mentions(webhookEvents.payload, locked.stripeCustomerId) : undefined,
        ),
      );
    await tx.delete(verification).where(or(eq(verification.value, userId), mentions(verification.value, address)));
    await tx.delete(user).where(eq(user.id, userId));
    await sendEmail(
      tx,
      {
        to: address,
        template: "account-deleted",
        props: { name: locked.name, subscriptionCanceled: subscriptionsCanceled > 0 },
      },
      { afterCommit: (work) => afterCommit.push(work) },
    );
  });
  for (const work of afterCommit) {
    await work().catch((error: unknown) => log.error({ err: error }, "goodbye email not queued; the sweeper sends it"));
  }
  log.info({ subscriptionsCanceled, photosDeleted }, "account deleted");
  return { subscriptionsCanceled, photosDeleted };
}

async function step<T>(name: AccountDeletionError["step"], message: string, run: () => Promise<T>): Promise<T> {
  try {
    return await withTimeout(run(), DELETION_STEP_TIMEOUT_MS, `${name} step timed out`);
  } catch (error) {
    if (error instanceof AccountDeletionError) throw error;
    logger.warn({ err: error, step: name }, "account deletion stopped before the database");
    throw new AccountDeletionError(name, message, { cause: error });
  }
}

/** `column`'s text holds `value` (a LIKE with its wildcards escaped). */
function mentions(column: AnyPgColumn, value: string) {
  return sql`${column}::text like ${`%${value.replace(/[\\%_]/g, "\\$&")}%`}`;
}

/** Cancels the customer's live Stripe subscriptions now, recording each; returns how many were live. */
async function cancelSubscriptions(db: Executor, account: typeof user.$inferSelect): Promise<number> {
  const now = new Date();
  const customerId = account.stripeCustomerId;
  const live = and(eq(subscriptions.userId, account.id), notInArray(subscriptions.status, FINAL_STATUSES));
  const real = customerId !== null && !customerId.startsWith(SIMULATED_CUSTOMER_PREFIX);
  let canceled = 0;
  if (real) {
    if (!stripe) {
      if ((await db.select({ id: subscriptions.id }).from(subscriptions).where(live)).length === 0) return 0;
      throw new AccountDeletionError(
        "billing",
        "Billing is not configured on this server, so your subscription cannot be canceled",
      );
    }
    for (const subscription of await liveSubscriptions(stripe, customerId)) {
      const done = await stripe.subscriptions
        .cancel(subscription.id, {}, { ...STRIPE_REQUEST, idempotencyKey: `account-deletion-${subscription.id}` })
        .catch((error: unknown) => {
          if (isMissing(error)) return null; // already gone at Stripe
          throw error;
        });
      if (done) await saveSubscriptionState(db, subscriptionStateFrom(done, account.id, now));
      canceled += 1;
    }
  }
  // Rows Stripe does not know (the /dev/stripe simulator, or gone at Stripe): recorded canceled too.
  const rest = await db
    .update(subscriptions)
    .set({ status: "canceled", cancelAtPeriodEnd: false, lastEventAt: now, updatedAt: now })
    .where(live)
    .returning({ id: subscriptions.id });
  return canceled + rest.length;
}

async function liveSubscriptions(client: Stripe, customerId: string): Promise<Stripe.Subscription[]> {
  const found: Stripe.Subscription[] = [];
  try {
    for await (const subscription of client.subscriptions.list(
      { customer: customerId, status: "all", limit: 100 },
      STRIPE_REQUEST,
    )) {
      if (!FINAL_STATUSES.includes(subscription.status)) found.push(subscription);
    }
  } catch (error) {
    if (isMissing(error)) return []; // a customer deleted at Stripe has nothing to cancel
    throw error;
  }
  return found;
}

const isMissing = (error: unknown) =>
  error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing";

/** Deletes every photo object of the user; the rows go with the user row. Returns how many objects went. */
async function deletePhotoObjects(db: Executor, userId: string): Promise<number> {
  const rows = await db.select({ key: uploads.key }).from(uploads).where(eq(uploads.userId, userId));
  const storage = await getStorage();
  if (!storage) {
    if (rows.length) throw new Error("storage is not configured but the user has photos");
    return 0;
  }
  await deleteObjects(
    storage,
    rows.map((row) => row.key),
  );
  // Objects with no row (an upload that never completed, a row lost earlier) share the prefix.
  return rows.length + (await deleteObjectsUnder(storage, `${userId}/`));
}
