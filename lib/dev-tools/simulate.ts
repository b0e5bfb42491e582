import "server-only";
import { env } from "@/lib/core/env";
import { webhookRoute } from "@/lib/webhooks";

/**
 * Hands a signed, made-up delivery to the same Route Handler a provider's request
 * reaches (signature check, inbox, background processing), as if it had been
 * posted to /api/webhooks/<provider>. Returns the answer the provider would get.
 */
export function deliverSimulatedWebhook(
  provider: "stripe" | "resend",
  delivery: { headers: Record<string, string>; body: string },
): Promise<Response> {
  const request = new Request(`${env.appUrl}/api/webhooks/${provider}`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
  return webhookRoute(provider)(request);
}
