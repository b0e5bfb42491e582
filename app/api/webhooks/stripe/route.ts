import { handleWebhook } from "@/lib/webhooks/receive";
import { db } from "@/lib/db";
import { verifyStripeEvent } from "@/lib/webhooks/providers/stripe";

/** Stripe's billing events: verified on the raw body, stored in the webhook inbox, acknowledged, processed in the background. */
export function POST(req: Request) {
  return handleWebhook(db, req, { provider: "stripe", verify: verifyStripeEvent });
}
