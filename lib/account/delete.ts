import "server-only";
import { and, eq, notInArray, or, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import Stripe from "stripe";
import { SIMULATED_CUSTOMER_PREFIX } from "@/lib/billing/customers";
import { FINAL_STATUSES, saveSubscriptionState, subscriptionStateFrom } from "@/lib/billing/subscriptions";
import { pseudonymiseAuditActor, recordAudit, userLabel } from "@/lib/audit";
import { schema, transaction, type AfterCommit, type Executor } from "@/lib/db";
import { notifySessionEnded } from "@/lib/realtime";
import { normalizeAddress, sendEmail } from "@/lib/email";
import { logger } from "@/lib/core/logger";
import { deleteObjects, deleteObjectsUnder, getStorage } from "@/lib/storage";
import { stripe } from "@/lib/billing";
import { AppError } from "@/lib/core/errors";
import { withTimeout } from "@/lib/core/timing";
import { membersChanged } from "@/lib/teams/members";
import { personalTeamOf, teamsOnlyOwnedBy } from "@/lib/teams/teams";

const { user, member, organization, session, subscriptions, uploads, emails, webhookEvents, verification } = schema;

/** Each outside step (Stripe, the bucket) must finish within this, or the deletion stops before the database. */
export const DELETION_STEP_TIMEOUT_MS = 20_000;
/** Per Stripe call: a person is waiting, so fail sooner than the client's default 10 s with two retries. */
const STRIPE_REQUEST = { timeout: 8_000, maxNetworkRetries: 1 };

/** Which step stopped a deletion. Nothing in the database was deleted; the steps before it stay done. */
export class AccountDeletionError extends AppError {
  constructor(
    readonly step: "billing" | "storage",
    why: string,
    options?: { cause?: unknown },
  ) {
    super("unavailable", `${why}. Your account is not deleted; please try again in a few minutes.`, {
      reason: `deletion-stopped-at-${step}`,
      cause: options?.cause,
    });
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

  // A team whose only owner is leaving would be left with nobody to pay for it or to manage it.
  const orphaned = await teamsOnlyOwnedBy(db, userId);
  if (orphaned.length)
    throw new AppError(
      "conflict",
      `You are the only owner of ${orphaned.map((team) => team.name).join(", ")}. ` +
        "Make someone else its owner, or delete it, before you delete your account.",
      { reason: "only-owner-of-teams" },
    );
  const personal = await personalTeamOf(db, userId);

  const subscriptionsCanceled = personal
    ? await step("billing", "Your subscription could not be canceled with Stripe", () =>
        cancelTeamSubscriptions(db, personal.id),
      )
    : 0;
  const photosDeleted = await step("storage", "Your photos could not be deleted from storage", () =>
    deletePhotoObjects(db, userId, personal?.id),
  );

  await transaction(db, async (tx, afterCommit) => {
    // Work queued for after the commit (the goodbye email, the other teams' seat syncs) cannot undo the
    // deletion: a failure there is logged, and the sweepers finish it.
    const queueAfterCommit: AfterCommit = (work) =>
      afterCommit(() =>
        work().catch((error: unknown) => log.error({ err: error }, "goodbye email not queued; the sweeper sends it")),
      );
    const [locked] = await tx.select().from(user).where(eq(user.id, userId)).for("update");
    if (!locked) return;
    const address = normalizeAddress(locked.email);
    await tx.delete(emails).where(eq(emails.to, address));
    const [team] = personal
      ? await tx
          .select({ customerId: organization.stripeCustomerId })
          .from(organization)
          .where(eq(organization.id, personal.id))
      : [];
    await tx
      .delete(webhookEvents)
      .where(
        or(
          mentions(webhookEvents.payload, address),
          team?.customerId ? mentions(webhookEvents.payload, team.customerId) : undefined,
        ),
      );
    await tx.delete(verification).where(or(eq(verification.value, userId), mentions(verification.value, address)));
    // The personal team goes with the account: its recipes, photo rows and AI usage with it (its payment
    // records stay, nameless). In other teams the user's recipes stay, unsigned, and their seats free up.
    if (personal) await tx.delete(organization).where(eq(organization.id, personal.id));
    const teams = await tx
      .delete(member)
      .where(eq(member.userId, userId))
      .returning({ teamId: member.organizationId, role: member.role });
    const actor = { type: "user" as const, id: userId, label: userLabel(locked) };
    for (const { teamId, role } of teams) {
      await membersChanged(tx, teamId, { userId, change: "removed" }, queueAfterCommit);
      await recordAudit(tx, {
        teamId,
        actor,
        action: "team.member_removed",
        target: { type: "user", id: userId },
        metadata: { role, left: true, accountDeleted: true },
      });
    }
    // The cascade below ends the sessions; every server closes their event streams once this commits.
    await tx
      .select({ announced: notifySessionEnded(session.id) })
      .from(session)
      .where(eq(session.userId, userId));
    await tx.delete(user).where(eq(user.id, userId));
    // Their events stay, theirs by id, with a pseudonym where their name and address were (docs/audit.md).
    await recordAudit(tx, { teamId: null, actor, action: "account.deleted", target: { type: "user", id: userId } });
    await pseudonymiseAuditActor(
      tx,
      { id: userId, name: locked.name, email: locked.email },
      personal ? [personal.name] : [],
    );
    await sendEmail(
      tx,
      {
        to: address,
        template: "account-deleted",
        props: { name: locked.name, subscriptionCanceled: subscriptionsCanceled > 0 },
      },
      { afterCommit: queueAfterCommit },
    );
  });
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

/** Cancels the team's live Stripe subscriptions now, recording each; returns how many were live. */
async function cancelTeamSubscriptions(db: Executor, teamId: string): Promise<number> {
  const now = new Date();
  const [team] = await db
    .select({ customerId: organization.stripeCustomerId })
    .from(organization)
    .where(eq(organization.id, teamId));
  const customerId = team?.customerId ?? null;
  const live = and(eq(subscriptions.organizationId, teamId), notInArray(subscriptions.status, FINAL_STATUSES));
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
      if (done) await saveSubscriptionState(db, subscriptionStateFrom(done, teamId, now));
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

/**
 * Deletes every photo object of the personal team (the rows go with the team), and any object
 * under the user's own prefix (uploads from before teams). Returns how many objects went.
 */
async function deletePhotoObjects(db: Executor, userId: string, personalTeamId?: string): Promise<number> {
  const rows = personalTeamId
    ? await db.select({ key: uploads.key }).from(uploads).where(eq(uploads.organizationId, personalTeamId))
    : [];
  const storage = await getStorage();
  if (!storage) {
    if (rows.length) throw new Error("storage is not configured but the user has photos");
    return 0;
  }
  await deleteObjects(
    storage,
    rows.map((row) => row.key),
  );
  // Objects with no row (an upload that never completed, a row lost earlier) share a prefix.
  const underPrefixes = await Promise.all(
    [userId, personalTeamId].filter(Boolean).map((prefix) => deleteObjectsUnder(storage, `${prefix}/`)),
  );
  return rows.length + underPrefixes.reduce((sum, count) => sum + count, 0);
}
