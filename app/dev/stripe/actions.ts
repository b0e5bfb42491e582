"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedActionWithUser } from "@/lib/actions";
import { BillingError } from "@/lib/billing/checkout";
import { db } from "@/lib/db";
import { simulatedStripeEvents, simulatorScenarios } from "@/lib/dev-tools/stripe-scenarios";
import { billingConfigured } from "@/lib/stripe";
import { deliverSimulatedWebhook, requireDevTools } from "@/lib/dev-tools";
import { signedStripeDelivery } from "@/lib/dev-tools/stripe-events";

const simulation = z.object({ scenario: z.enum(simulatorScenarios) });

/**
 * Plays Stripe for the signed-in user: signs sample events with our webhook
 * secret and posts them to our own webhook route, so they go through the same
 * verification, inbox and handlers as real ones.
 */
export const simulateStripeEventAction = validatedActionWithUser(simulation, async ({ scenario }, user) => {
  requireDevTools();
  if (billingConfigured) {
    return {
      error:
        "STRIPE_SECRET_KEY is set: use Stripe's test mode (Upgrade on /pricing, or `stripe trigger`) instead; made-up customers would not exist in Stripe.",
    };
  }
  let events;
  try {
    events = await simulatedStripeEvents(db, scenario, user);
  } catch (error) {
    if (error instanceof BillingError) return { error: error.message };
    throw error;
  }
  for (const event of events) {
    const response = await deliverSimulatedWebhook("stripe", signedStripeDelivery(event));
    if (!response.ok) return { error: `The webhook route answered ${response.status} to ${event.type}.` };
  }
  for (const path of ["/dev/stripe", "/dashboard", "/pricing"]) revalidatePath(path);
  return {
    ok: true,
    message: `Sent ${events.map((event) => event.type).join(" and ")}: processed in the background; reload to see the result.`,
  };
});
