"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedActionWithUser } from "@/lib/actions";
import { db } from "@/lib/db";
import { simulatedStripeEvents, simulatorScenarios } from "@/lib/dev-tools/stripe-scenarios";
import { billingConfigured } from "@/lib/billing";
import { deliverSimulatedWebhook, requireDevTools } from "@/lib/dev-tools";
import { signedStripeDelivery } from "@/lib/dev-tools/stripe-events";

const simulation = z.object({ scenario: z.enum(simulatorScenarios), teamId: z.string().min(1) });

/**
 * Plays Stripe for a team the signed-in user owns: signs sample events with our webhook
 * secret and posts them to our own webhook route, so they go through the same
 * verification, inbox and handlers as real ones.
 */
export const simulateStripeEventAction = validatedActionWithUser(simulation, async ({ scenario, teamId }, user) => {
  requireDevTools();
  if (billingConfigured) {
    return {
      error:
        "STRIPE_SECRET_KEY is set: use Stripe's test mode (Upgrade on /pricing, or `stripe trigger`) instead; " +
        "made-up customers would not exist in Stripe.",
    };
  }
  const events = await simulatedStripeEvents(db, scenario, { teamId, account: user });
  for (const event of events) {
    const response = await deliverSimulatedWebhook("stripe", signedStripeDelivery(event));
    if (!response.ok) return { error: `The webhook route answered ${response.status} to ${event.type}.` };
  }
  revalidatePath("/dev/stripe");
  revalidatePath("/t/[team]", "layout");
  return {
    ok: true,
    message: `Sent ${events.map((event) => event.type).join(" and ")}: processed in the background, and this page updates when it is done.`,
  };
});
