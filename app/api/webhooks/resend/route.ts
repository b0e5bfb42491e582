import { webhookRoute } from "@/lib/webhooks";

/** Resend's delivery events: verified, stored in the webhook inbox, acknowledged, processed in the background. */
export const POST = webhookRoute("resend");
