import "server-only";
import Stripe from "stripe";
import type { Executor } from "@/lib/db";
import { env } from "@/lib/core/env";
import { logger } from "@/lib/core/logger";
import { stripe } from "@/lib/billing/stripe";
import { requireVerifiedEmail } from "@/lib/auth";
import { AppError, type ErrorKind } from "@/lib/core/errors";
import { can, requireMembership } from "@/lib/teams";
import { ensureStripeCustomer, storedCustomerId } from "./customers";
import { countMembers, getTeamPlan } from "./plans";

/** A billing refusal or failure whose message is written for the user. */
export class BillingError extends AppError {
  constructor(kind: ErrorKind, reason: string, message: string, options: { cause?: unknown } = {}) {
    super(kind, message, { reason, cause: options.cause });
    this.name = "BillingError";
  }
}

function configuredStripe(): Stripe {
  if (!stripe)
    throw new BillingError(
      "unavailable",
      "billing-not-configured",
      "Billing is not configured on this server yet (STRIPE_SECRET_KEY is unset).",
    );
  return stripe;
}

/**
 * A call to Stripe whose failure the user reads: declined, invalid, unreachable or misconfigured
 * become a `BillingError` with a message; anything else is a bug of ours and is thrown as it is.
 */
async function callStripe<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error;
    logger.warn({ err: error, stripeRequestId: error.requestId, code: error.code }, "Stripe request failed");
    if (error instanceof Stripe.errors.StripeConnectionError)
      throw new BillingError(
        "unavailable",
        "stripe-unreachable",
        "We could not reach Stripe. Please try again in a minute.",
        {
          cause: error,
        },
      );
    if (error instanceof Stripe.errors.StripeAuthenticationError)
      throw new BillingError(
        "upstream-failed",
        "stripe-misconfigured",
        "Billing is misconfigured on this server (Stripe rejected the API key).",
        { cause: error },
      );
    throw new BillingError(
      "upstream-failed",
      "stripe-refused",
      `Stripe could not complete the request: ${error.message}`,
      { cause: error },
    );
  }
}

/** The team, if `buyerId` is its owner: billing is the owner's. */
async function teamBilledBy(db: Executor, teamId: string, buyerId: string) {
  const team = await requireMembership(db, teamId, buyerId);
  if (!can(team.role, "billing:manage"))
    throw new BillingError("forbidden", "owner-only", "Only the team's owner can change its plan or billing.");
  return team;
}

/**
 * A Stripe Checkout page for the team's Pro plan, a seat per member; returns its URL. The session
 * carries the team's id twice (`client_reference_id` and metadata, also on the subscription), so
 * the webhook can link the purchase even if the buyer never comes back to the success page.
 */
export async function createCheckoutSession(
  db: Executor,
  { teamId, buyer }: { teamId: string; buyer: { id: string; email: string } },
): Promise<string> {
  // Stripe's receipts and our billing emails go to this address: it must be the buyer's.
  await requireVerifiedEmail(db, buyer.id, "upgrading to Pro");
  const team = await teamBilledBy(db, teamId, buyer.id);
  const client = configuredStripe();
  if (!env.STRIPE_PRICE_ID)
    throw new BillingError(
      "unavailable",
      "billing-not-configured",
      "Billing is not fully configured: STRIPE_PRICE_ID (the Pro plan's price) is unset.",
    );
  if ((await getTeamPlan(db, team.id)).plan.id === "pro") {
    throw new BillingError(
      "conflict",
      "already-pro",
      "This team is already on Pro. Use “Manage billing” to change or cancel it.",
    );
  }
  const seats = await countMembers(db, team.id);
  const customer = await callStripe(() =>
    ensureStripeCustomer(db, client, { id: team.id, name: team.name, billingEmail: buyer.email }),
  );
  const metadata = { organizationId: team.id, userId: buyer.id, seats: String(seats) };
  const session = await callStripe(() =>
    client.checkout.sessions.create({
      mode: "subscription",
      customer,
      client_reference_id: team.id,
      metadata,
      subscription_data: { metadata: { organizationId: team.id } },
      line_items: [{ price: env.STRIPE_PRICE_ID, quantity: seats }],
      success_url: `${env.appUrl}/t/${team.slug}/billing?checkout=success`,
      cancel_url: `${env.appUrl}/t/${team.slug}/billing?checkout=canceled`,
    }),
  );
  if (!session.url)
    throw new BillingError(
      "upstream-failed",
      "no-checkout-url",
      "Stripe did not return a checkout page. Please try again.",
    );
  return session.url;
}

/** Stripe's customer portal (change card, cancel, invoices) for a team that has a billing account; returns its URL. */
export async function createBillingPortalSession(
  db: Executor,
  { teamId, userId }: { teamId: string; userId: string },
): Promise<string> {
  const team = await teamBilledBy(db, teamId, userId);
  const client = configuredStripe();
  const customer = await storedCustomerId(db, team.id);
  if (!customer)
    throw new BillingError(
      "not-found",
      "no-billing-account",
      "This team has no billing account yet: upgrade to Pro first.",
    );
  const session = await callStripe(() =>
    client.billingPortal.sessions.create({ customer, return_url: `${env.appUrl}/t/${team.slug}/billing` }),
  );
  return session.url;
}
