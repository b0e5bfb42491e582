import "server-only";
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { env } from "@/lib/core/env";

/**
 * Stripe events as Stripe sends them (the fields our handlers and most apps
 * read), for the dev simulator at /dev/stripe and for tests. Ids look like
 * Stripe's ("evt_…", "cus_…", "sub_…"), with "sim" after the prefix so a
 * simulated object is recognisable anywhere it ends up.
 */

export const SIMULATED_PRICE_ID = "price_dev_pro";

export const simulatedId = (prefix: string) => `${prefix}_sim${randomBytes(10).toString("hex")}`;

const nowInSeconds = () => Math.floor(Date.now() / 1000);
const DAY = 24 * 60 * 60;

export type SampleEvent = {
  id: string;
  object: "event";
  type: string;
  created: number;
  data: { object: Record<string, unknown> };
} & Record<string, unknown>;

export function sampleEvent(
  type: string,
  object: Record<string, unknown>,
  { created = nowInSeconds(), id = simulatedId("evt") } = {},
): SampleEvent {
  return {
    id,
    object: "event",
    api_version: Stripe.API_VERSION,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

export type SampleSubscriptionInput = {
  id: string;
  customerId: string;
  /** The team that pays (the metadata our Checkout sets). */
  teamId: string;
  status: Stripe.Subscription.Status;
  /** Seats: one per member. */
  quantity?: number;
  priceId?: string;
  cancelAtPeriodEnd?: boolean;
  created?: number;
};

/** A subscription with one item; since API 2025-03 the billing period lives on the item. */
export function sampleSubscription({
  id,
  customerId,
  teamId,
  status,
  quantity = 1,
  priceId = env.STRIPE_PRICE_ID ?? SIMULATED_PRICE_ID,
  cancelAtPeriodEnd = false,
  created = nowInSeconds(),
}: SampleSubscriptionInput) {
  const ended = status === "canceled" ? nowInSeconds() : null;
  return {
    id,
    object: "subscription",
    customer: customerId,
    status,
    cancel_at_period_end: cancelAtPeriodEnd,
    canceled_at: ended,
    ended_at: ended,
    created,
    start_date: created,
    livemode: false,
    collection_method: "charge_automatically",
    currency: "usd",
    metadata: { organizationId: teamId },
    items: {
      object: "list",
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
      data: [
        {
          id: simulatedId("si"),
          object: "subscription_item",
          subscription: id,
          quantity,
          created,
          current_period_start: created,
          current_period_end: created + 30 * DAY,
          price: {
            id: priceId,
            object: "price",
            active: true,
            currency: "usd",
            unit_amount: 900,
            type: "recurring",
            recurring: { interval: "month", interval_count: 1 },
          },
        },
      ],
    },
  };
}

export function sampleCheckoutSession({
  teamId,
  buyerId,
  customerId,
  subscriptionId,
  email,
  seats = 1,
}: {
  teamId: string;
  buyerId: string;
  customerId: string;
  subscriptionId: string;
  email: string;
  seats?: number;
}) {
  return {
    id: simulatedId("cs_test"),
    object: "checkout.session",
    mode: "subscription",
    status: "complete",
    payment_status: "paid",
    client_reference_id: teamId,
    metadata: { organizationId: teamId, userId: buyerId, seats: String(seats) },
    customer: customerId,
    customer_details: { email },
    subscription: subscriptionId,
    amount_total: 900,
    currency: "usd",
    created: nowInSeconds(),
    livemode: false,
    success_url: `${env.appUrl}/pricing?checkout=success`,
    cancel_url: `${env.appUrl}/pricing?checkout=canceled`,
  };
}

export function sampleInvoice({
  id = simulatedId("in"),
  customerId,
  subscriptionId,
  teamId,
  email,
  amountDue = 900,
}: {
  id?: string;
  customerId: string;
  subscriptionId: string;
  teamId: string;
  email: string;
  amountDue?: number;
}) {
  return {
    id,
    object: "invoice",
    customer: customerId,
    customer_email: email,
    status: "open",
    amount_due: amountDue,
    amount_paid: 0,
    amount_remaining: amountDue,
    currency: "usd",
    attempt_count: 1,
    billing_reason: "subscription_cycle",
    created: nowInSeconds(),
    livemode: false,
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { subscription: subscriptionId, metadata: { organizationId: teamId } },
    },
  };
}

/** One delivery as Stripe makes it: the JSON body and its `stripe-signature` header, signed with our webhook secret. */
export function signedStripeDelivery(event: object, options: { secret?: string; timestamp?: number } = {}) {
  const secret = options.secret ?? env.stripeWebhookSecret;
  if (!secret) throw new Error("STRIPE_WEBHOOK_SECRET is not set");
  const body = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: options.timestamp });
  return { body, headers: { "content-type": "application/json", "stripe-signature": signature } };
}
