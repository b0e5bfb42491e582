import "server-only";
import {
  sampleCheckoutSession,
  sampleEvent,
  sampleInvoice,
  sampleSubscription,
  simulatedId,
  type SampleEvent,
} from "./stripe-events";
import { BillingError, countMembers, getTeamPlan } from "@/lib/billing";
import { storedCustomerId } from "@/lib/billing/customers";
import type { Executor } from "@/lib/db";
import { can, requireMembership } from "@/lib/teams";

export const simulatorScenarios = ["checkout-completed", "subscription-canceled", "payment-failed"] as const;
export type SimulatorScenario = (typeof simulatorScenarios)[number];

/**
 * The events Stripe would send for one step of a team's billing life, made up
 * for the dev simulator: what a completed Checkout (a seat per member), a
 * cancellation or a failed renewal looks like to our webhook route. Billing is
 * the team owner's, here as on /t/<slug>/billing.
 */
export async function simulatedStripeEvents(
  db: Executor,
  scenario: SimulatorScenario,
  { teamId, account }: { teamId: string; account: { id: string; email: string } },
): Promise<SampleEvent[]> {
  const team = await requireMembership(db, teamId, account.id);
  if (!can(team.role, "billing:manage"))
    throw new BillingError("forbidden", "owner-only", "Only the team's owner can change its plan.");
  const { plan, subscription } = await getTeamPlan(db, team.id);
  if (scenario === "checkout-completed") {
    if (plan.id === "pro")
      throw new BillingError("conflict", "already-pro", "This team is already on Pro: simulate a cancellation first.");
    const customerId = (await storedCustomerId(db, team.id)) ?? simulatedId("cus");
    const subscriptionId = simulatedId("sub");
    const seats = await countMembers(db, team.id);
    return [
      sampleEvent(
        "customer.subscription.created",
        sampleSubscription({ id: subscriptionId, customerId, teamId: team.id, status: "active", quantity: seats }),
      ),
      sampleEvent(
        "checkout.session.completed",
        sampleCheckoutSession({
          teamId: team.id,
          buyerId: account.id,
          customerId,
          subscriptionId,
          email: account.email,
          seats,
        }),
      ),
    ];
  }

  if (!subscription)
    throw new BillingError(
      "conflict",
      "no-subscription",
      "This team has no Pro subscription yet: simulate a completed checkout first.",
    );
  const current = {
    id: subscription.id,
    customerId: subscription.customerId,
    teamId: team.id,
    quantity: subscription.quantity,
    priceId: subscription.priceId ?? undefined,
  };
  if (scenario === "subscription-canceled") {
    return [sampleEvent("customer.subscription.deleted", sampleSubscription({ ...current, status: "canceled" }))];
  }
  // A failed renewal: the invoice fails and the subscription turns past_due (still Pro, see PRO_STATUSES).
  const invoice = sampleInvoice({
    customerId: subscription.customerId,
    subscriptionId: subscription.id,
    teamId: team.id,
    email: account.email,
  });
  return [
    sampleEvent("invoice.payment_failed", invoice),
    sampleEvent("customer.subscription.updated", sampleSubscription({ ...current, status: "past_due" })),
  ];
}
