import "server-only";
import { resendHandlers, verifyResendEvent } from "./providers/resend";
import { stripeHandlers, verifyStripeEvent } from "./providers/stripe";
import type { WebhookHandlerMap, WebhookVerifier } from "./types";

/** One provider: how its deliveries are verified, and what each event type does. */
export type WebhookProvider = { verify: WebhookVerifier; handlers: WebhookHandlerMap };

/**
 * The providers this deployment receives webhooks from, one module each in ./providers. The route
 * (`webhookRoute(name)`), the processor and the sweeper all look a provider up here, so adding one
 * is one entry. (Tests add providers of their own: tests/support/webhooks.ts.)
 */
export const webhookProviders = new Map<string, WebhookProvider>([
  ["stripe", { verify: verifyStripeEvent, handlers: stripeHandlers }],
  ["resend", { verify: verifyResendEvent, handlers: resendHandlers }],
]);

export function webhookHandlersFor(provider: string): WebhookHandlerMap | undefined {
  return webhookProviders.get(provider)?.handlers;
}

/** The providers this deployment can process; the sweeper only picks up their events. */
export function registeredWebhookProviders(): string[] {
  return [...webhookProviders.keys()];
}
