import "server-only";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { notifyPaymentFailed } from "@/lib/billing/notifications";
import { announcePlanChange, announcePlanChangeOfSubscription } from "@/lib/billing/plans";
import {
  findUserIdForCustomer,
  fromUnixSeconds,
  idOf,
  linkStripeCustomer,
  markSubscriptionPaid,
  saveCheckoutSubscription,
  saveSubscriptionState,
  subscriptionStateFrom,
} from "@/lib/billing/subscriptions";
import { schema, type Executor } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { trackProductEvent } from "@/lib/observability/analytics";
import type { VerifiedWebhookEvent, WebhookHandlerContext, WebhookHandlerMap } from "../types";

/**
 * Checks the `stripe-signature` header on the raw body with Stripe's SDK;
 * throws on a missing, forged or stale (> 300 s) signature. The static
 * `Stripe.webhooks` needs only the signing secret, not an API key.
 */
export function verifyStripeEvent(rawBody: string, headers: Headers): VerifiedWebhookEvent {
  if (!env.stripeWebhookSecret) throw new Error("STRIPE_WEBHOOK_SECRET is not set: no Stripe webhook can be verified");
  const signature = headers.get("stripe-signature");
  if (!signature) throw new Error("the stripe-signature header is missing");
  const event = Stripe.webhooks.constructEvent(rawBody, signature, env.stripeWebhookSecret);
  if (typeof event.id !== "string" || typeof event.type !== "string") throw new Error("not a Stripe event");
  return { id: event.id, type: event.type, payload: event };
}

const log = (event: WebhookEvent) => logger.child({ provider: "stripe", eventId: event.eventId, type: event.type });

async function userExists(tx: Executor, userId: string) {
  const [row] = await tx.select({ id: schema.user.id }).from(schema.user).where(eq(schema.user.id, userId));
  return Boolean(row);
}

/**
 * The buyer finished Checkout (even if they closed the tab before coming
 * back): link the customer to the user, and record the subscription as paid.
 * The event only carries the subscription's id; its price, period and exact
 * status arrive with `customer.subscription.*` events (and reconciliation).
 */
async function completeCheckout(tx: Executor, event: WebhookEvent, { afterCommit }: WebhookHandlerContext) {
  const { data, created } = event.payload as Stripe.CheckoutSessionCompletedEvent;
  const session = data.object;
  if (session.mode !== "subscription" || !session.customer) return;
  const userId = session.client_reference_id ?? session.metadata?.userId;
  if (!userId || !(await userExists(tx, userId))) {
    log(event).warn({ sessionId: session.id }, "checkout session belongs to no user of this app; ignored");
    return;
  }
  const customerId = idOf(session.customer);
  await linkStripeCustomer(tx, userId, customerId, { replace: true });
  if (!session.subscription) return;
  const saved = await saveCheckoutSubscription(tx, {
    id: idOf(session.subscription),
    userId,
    customerId,
    status: session.payment_status === "unpaid" ? "incomplete" : "active",
    // Our Checkout sells exactly this price; the subscription's own events confirm it.
    priceId: env.STRIPE_PRICE_ID ?? null,
    currentPeriodEnd: null,
    cancelAtPeriodEnd: false,
    lastEventAt: fromUnixSeconds(created),
  });
  if (saved) await announcePlanChange(tx, userId);
  afterCommit(() => trackProductEvent(userId, "checkout completed", { stripeEventId: event.eventId }));
}

/** created, updated, deleted: each carries the whole subscription, stored unless we hold newer news. */
async function saveSubscription(tx: Executor, event: WebhookEvent) {
  const { data, created } = event.payload as Stripe.CustomerSubscriptionUpdatedEvent;
  const subscription = data.object;
  const customerId = idOf(subscription.customer);
  const userId = await findUserIdForCustomer(tx, customerId, subscription.metadata?.userId);
  if (!userId) {
    log(event).warn({ customerId }, "subscription of a customer this app does not know; ignored");
    return;
  }
  await linkStripeCustomer(tx, userId, customerId);
  const saved = await saveSubscriptionState(tx, subscriptionStateFrom(subscription, userId, fromUnixSeconds(created)));
  if (saved) await announcePlanChange(tx, userId);
}

async function recordPayment(tx: Executor, event: WebhookEvent) {
  const { data, created } = event.payload as Stripe.InvoicePaidEvent;
  const subscription = data.object.parent?.subscription_details?.subscription;
  if (subscription && (await markSubscriptionPaid(tx, idOf(subscription), fromUnixSeconds(created)))) {
    await announcePlanChangeOfSubscription(tx, idOf(subscription));
  }
}

async function recordPaymentFailure(tx: Executor, event: WebhookEvent, context: WebhookHandlerContext) {
  const { data } = event.payload as Stripe.InvoicePaymentFailedEvent;
  const notice = await notifyPaymentFailed(tx, data.object, context);
  log(event).info({ invoiceId: data.object.id, notice }, "payment failure handled");
}

/** Stripe's events this app acts on; every other type is acknowledged and ignored by the inbox. */
export const stripeHandlers: WebhookHandlerMap = {
  "checkout.session.completed": completeCheckout,
  "customer.subscription.created": saveSubscription,
  "customer.subscription.updated": saveSubscription,
  "customer.subscription.deleted": saveSubscription,
  "invoice.paid": recordPayment,
  "invoice.payment_failed": recordPaymentFailure,
};
