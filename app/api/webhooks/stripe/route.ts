import { webhookRoute } from "@/lib/webhooks";

/** Stripe's billing events: verified on the raw body, stored in the webhook inbox, acknowledged, processed in the background. */
export const POST = webhookRoute("stripe");
