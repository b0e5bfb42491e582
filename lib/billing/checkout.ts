import "server-only";
import Stripe from "stripe";
import type { Executor } from "@/lib/db";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { stripe } from "@/lib/stripe";
import { EmailNotVerifiedError, requireVerifiedEmail } from "@/lib/verified-email";
import { ensureStripeCustomer, storedCustomerId, type BillingUser } from "./customers";
import { getUserPlan } from "./plans";

/** A billing problem whose message is written for the user. */
export class BillingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BillingError";
  }
}

function configuredStripe(): Stripe {
  if (!stripe) throw new BillingError("Billing is not configured on this server yet (STRIPE_SECRET_KEY is unset).");
  return stripe;
}

/**
 * A Stripe Checkout page for the Pro plan; returns its URL. The session
 * carries the user id twice (`client_reference_id` and metadata, also on the
 * subscription), so the webhook can link the purchase even if the buyer never
 * comes back to the success page.
 */
export async function createCheckoutSession(db: Executor, account: BillingUser): Promise<string> {
  // Stripe's receipts and our billing emails go to this address: it must be the buyer's.
  await requireVerifiedEmail(db, account.id, "upgrading to Pro");
  const client = configuredStripe();
  if (!env.STRIPE_PRICE_ID)
    throw new BillingError("Billing is not fully configured: STRIPE_PRICE_ID (the Pro plan's price) is unset.");
  if ((await getUserPlan(db, account.id)).plan.id === "pro") {
    throw new BillingError("You are already on Pro. Use “Manage billing” to change or cancel it.");
  }
  const customer = await ensureStripeCustomer(db, client, account);
  const session = await client.checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: account.id,
    metadata: { userId: account.id },
    subscription_data: { metadata: { userId: account.id } },
    line_items: [{ price: env.STRIPE_PRICE_ID, quantity: 1 }],
    success_url: `${env.appUrl}/pricing?checkout=success`,
    cancel_url: `${env.appUrl}/pricing?checkout=canceled`,
  });
  if (!session.url) throw new BillingError("Stripe did not return a checkout page. Please try again.");
  return session.url;
}

/** Stripe's customer portal (change card, cancel, invoices) for a user who has a billing account; returns its URL. */
export async function createBillingPortalSession(db: Executor, userId: string): Promise<string> {
  const client = configuredStripe();
  const customer = await storedCustomerId(db, userId);
  if (!customer) throw new BillingError("You have no billing account yet: upgrade to Pro first.");
  const session = await client.billingPortal.sessions.create({ customer, return_url: `${env.appUrl}/pricing` });
  return session.url;
}

/**
 * What to tell the user when a billing call failed. Stripe's own errors
 * (declined, invalid request, unreachable) become a message; anything else is
 * a bug or an outage of ours and is rethrown.
 */
export function billingErrorMessage(error: unknown): string {
  if (error instanceof BillingError || error instanceof EmailNotVerifiedError) return error.message;
  if (!(error instanceof Stripe.errors.StripeError)) throw error;
  logger.warn({ err: error, stripeRequestId: error.requestId, code: error.code }, "Stripe request failed");
  if (error instanceof Stripe.errors.StripeConnectionError)
    return "We could not reach Stripe. Please try again in a minute.";
  if (error instanceof Stripe.errors.StripeAuthenticationError)
    return "Billing is misconfigured on this server (Stripe rejected the API key).";
  return `Stripe could not complete the request: ${error.message}`;
}
