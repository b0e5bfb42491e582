import "server-only";
import {
  sampleCheckoutSession,
  sampleEvent,
  sampleInvoice,
  sampleSubscription,
  simulatedId,
  type SampleEvent,
} from "./stripe-events";
import { BillingError } from "@/lib/billing/checkout";
import { storedCustomerId, type BillingUser } from "@/lib/billing/customers";
import { getUserPlan } from "@/lib/billing/plans";
import type { Executor } from "@/lib/db";

export const simulatorScenarios = ["checkout-completed", "subscription-canceled", "payment-failed"] as const;
export type SimulatorScenario = (typeof simulatorScenarios)[number];

/**
 * The events Stripe would send for one step of a user's billing life, made up
 * for the dev simulator: what a completed Checkout, a cancellation or a failed
 * renewal looks like to our webhook route.
 */
export async function simulatedStripeEvents(
  db: Executor,
  scenario: SimulatorScenario,
  account: BillingUser,
): Promise<SampleEvent[]> {
  const { plan, subscription } = await getUserPlan(db, account.id);
  if (scenario === "checkout-completed") {
    if (plan.id === "pro") throw new BillingError("You are already on Pro: simulate a cancellation first.");
    const customerId = (await storedCustomerId(db, account.id)) ?? simulatedId("cus");
    const subscriptionId = simulatedId("sub");
    return [
      sampleEvent(
        "customer.subscription.created",
        sampleSubscription({ id: subscriptionId, customerId, userId: account.id, status: "active" }),
      ),
      sampleEvent(
        "checkout.session.completed",
        sampleCheckoutSession({ userId: account.id, customerId, subscriptionId, email: account.email }),
      ),
    ];
  }

  if (!subscription) throw new BillingError("You have no Pro subscription yet: simulate a completed checkout first.");
  const current = {
    id: subscription.id,
    customerId: subscription.customerId,
    userId: account.id,
    priceId: subscription.priceId ?? undefined,
  };
  if (scenario === "subscription-canceled") {
    return [sampleEvent("customer.subscription.deleted", sampleSubscription({ ...current, status: "canceled" }))];
  }
  // A failed renewal: the invoice fails and the subscription turns past_due (still Pro, see PRO_STATUSES).
  const invoice = sampleInvoice({
    customerId: subscription.customerId,
    subscriptionId: subscription.id,
    userId: account.id,
    email: account.email,
  });
  return [
    sampleEvent("invoice.payment_failed", invoice),
    sampleEvent("customer.subscription.updated", sampleSubscription({ ...current, status: "past_due" })),
  ];
}
