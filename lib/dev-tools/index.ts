import "server-only";
import { notFound } from "next/navigation";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { verifyResendEvent } from "@/lib/webhooks/providers/resend";
import { verifyStripeEvent } from "@/lib/webhooks/providers/stripe";
import { handleWebhook } from "@/lib/webhooks/receive";

/**
 * The one guard of the developer tools (/dev pages, /api/dev routes and the
 * dev Server Actions): a 404, as if they did not exist, unless they are on
 * (development and tests; production only with ENABLE_DEV_TOOLS=1). Every
 * entry calls it, not only the /dev layout: an action or a route is a public
 * endpoint of its own, and a page's payload can be requested without its layout.
 */
export function requireDevTools(): void {
  if (!env.devToolsEnabled) notFound();
}

const verifiers = { stripe: verifyStripeEvent, resend: verifyResendEvent };

/**
 * Hands a signed, made-up delivery to the same code a provider's request
 * reaches (signature check, inbox, background processing), as if it had been
 * posted to /api/webhooks/<provider>. Returns the answer the provider would get.
 */
export function deliverSimulatedWebhook(
  provider: keyof typeof verifiers,
  delivery: { headers: Record<string, string>; body: string },
): Promise<Response> {
  const request = new Request(`${env.appUrl}/api/webhooks/${provider}`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
  return handleWebhook(db, request, { provider, verify: verifiers[provider] });
}
