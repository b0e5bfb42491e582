import "server-only";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { notifyPaymentFailed } from "@/lib/billing/notifications";
import { announcePlanChange } from "@/lib/billing";
import { auditBillingChange, billingSnapshot } from "@/lib/billing/audit";
import { providerActor } from "@/lib/audit";
import {
  findTeamIdForCustomer,
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
import { env } from "@/lib/core/env";
import { logger } from "@/lib/core/logger";
import { trackProductEvent } from "@/lib/observability/analytics";
import { announceSubscriptionWebhook } from "@/lib/webhooks-out";
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

/** The audit log's actor for a change a Stripe event made, and the event it came with. */
const stripeActor = (event: WebhookEvent) => providerActor("stripe", event.eventId);
const stripeFacts = (event: WebhookEvent) => ({ stripeEventType: event.type });

const log = (event: WebhookEvent) => logger.child({ provider: "stripe", eventId: event.eventId, type: event.type });

/**
 * The team a Checkout was for: `client_reference_id` and metadata carry it (a session from
 * before teams carries the buyer's user id, whose personal team it becomes).
 */
async function teamOfCheckout(tx: Executor, session: Stripe.Checkout.Session): Promise<string | null> {
  const teamId = session.metadata?.organizationId ?? session.client_reference_id;
  if (teamId) {
    const [team] = await tx
      .select({ id: schema.organization.id })
      .from(schema.organization)
      .where(eq(schema.organization.id, teamId));
    if (team) return team.id;
  }
  const userId = session.metadata?.userId ?? session.client_reference_id;
  return userId ? findTeamIdForCustomer(tx, "", { userId }) : null;
}

/**
 * The buyer finished Checkout (even if they closed the tab before coming
 * back): link the customer to the team, and record the subscription as paid.
 * The event only carries the subscription's id; its price, period and exact
 * status arrive with `customer.subscription.*` events (and reconciliation).
 */
async function completeCheckout(tx: Executor, event: WebhookEvent, { afterCommit }: WebhookHandlerContext) {
  const { data, created } = event.payload as Stripe.CheckoutSessionCompletedEvent;
  const session = data.object;
  if (session.mode !== "subscription" || !session.customer) return;
  const teamId = await teamOfCheckout(tx, session);
  if (!teamId) {
    log(event).warn({ sessionId: session.id }, "checkout session belongs to no team of this app; ignored");
    return;
  }
  const customerId = idOf(session.customer);
  await linkStripeCustomer(tx, teamId, customerId, { replace: true });
  if (!session.subscription) return;
  const before = await billingSnapshot(tx, teamId);
  const saved = await saveCheckoutSubscription(tx, {
    id: idOf(session.subscription),
    organizationId: teamId,
    customerId,
    // The seats Checkout sold; the subscription's own events confirm them.
    quantity: Number(session.metadata?.seats ?? 1) || 1,
    status: session.payment_status === "unpaid" ? "incomplete" : "active",
    // Our Checkout sells exactly this price; the subscription's own events confirm it.
    priceId: env.STRIPE_PRICE_ID ?? null,
    currentPeriodEnd: null,
    cancelAtPeriodEnd: false,
    lastEventAt: fromUnixSeconds(created),
  });
  if (saved) await announcePlanChange(tx, teamId);
  if (saved) await announceSubscriptionWebhook(tx, afterCommit, idOf(session.subscription));
  if (saved) await auditBillingChange(tx, teamId, before, stripeActor(event), stripeFacts(event));
  const buyerId = session.metadata?.userId;
  if (buyerId) afterCommit(() => trackProductEvent(buyerId, "checkout completed", { stripeEventId: event.eventId }));
}

/** created, updated, deleted: each carries the whole subscription, stored unless we hold newer news. */
async function saveSubscription(tx: Executor, event: WebhookEvent, { afterCommit }: WebhookHandlerContext) {
  const { data, created } = event.payload as Stripe.CustomerSubscriptionUpdatedEvent;
  const subscription = data.object;
  const customerId = idOf(subscription.customer);
  const teamId = await findTeamIdForCustomer(tx, customerId, subscription.metadata ?? {});
  if (!teamId) {
    log(event).warn({ customerId }, "subscription of a customer this app does not know; ignored");
    return;
  }
  await linkStripeCustomer(tx, teamId, customerId);
  const before = await billingSnapshot(tx, teamId);
  const saved = await saveSubscriptionState(tx, subscriptionStateFrom(subscription, teamId, fromUnixSeconds(created)));
  if (saved) await announcePlanChange(tx, teamId);
  if (saved) await announceSubscriptionWebhook(tx, afterCommit, subscription.id);
  if (saved) await auditBillingChange(tx, teamId, before, stripeActor(event), stripeFacts(event));
}

async function teamOfSubscription(tx: Executor, subscriptionId: string): Promise<string | null> {
  const [row] = await tx
    .select({ teamId: schema.subscriptions.organizationId })
    .from(schema.subscriptions)
    .where(eq(schema.subscriptions.id, subscriptionId));
  return row?.teamId ?? null;
}

async function recordPayment(tx: Executor, event: WebhookEvent, { afterCommit }: WebhookHandlerContext) {
  const { data, created } = event.payload as Stripe.InvoicePaidEvent;
  const subscription = data.object.parent?.subscription_details?.subscription;
  if (!subscription) return;
  const teamId = await teamOfSubscription(tx, idOf(subscription));
  const before = teamId ? await billingSnapshot(tx, teamId) : null;
  if (await markSubscriptionPaid(tx, idOf(subscription), fromUnixSeconds(created))) {
    // A deleted team's payment record has nobody left to tell.
    if (teamId) await announcePlanChange(tx, teamId);
    await announceSubscriptionWebhook(tx, afterCommit, idOf(subscription));
    if (teamId && before) await auditBillingChange(tx, teamId, before, stripeActor(event), stripeFacts(event));
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
