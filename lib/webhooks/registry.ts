import "server-only";
import { resendHandlers } from "./providers/resend";
import { stripeHandlers } from "./providers/stripe";
import type { WebhookHandlerMap } from "./types";

/** The app's providers: one entry per provider module in ./providers. */
const builtInProviders: Readonly<Record<string, WebhookHandlerMap>> = {
  resend: resendHandlers,
  stripe: stripeHandlers,
};

/** Providers added at runtime: tests register their own. */
const registered = new Map<string, WebhookHandlerMap>();

/** Adds a provider at runtime; types missing from the map are ignored. */
export function registerWebhookProvider(provider: string, handlers: WebhookHandlerMap): void {
  registered.set(provider, handlers);
}

export function webhookHandlersFor(provider: string): WebhookHandlerMap | undefined {
  return (
    registered.get(provider) ?? (Object.hasOwn(builtInProviders, provider) ? builtInProviders[provider] : undefined)
  );
}

/** The providers this deployment can process; the sweeper only picks up their events. */
export function registeredWebhookProviders(): string[] {
  return [...new Set([...Object.keys(builtInProviders), ...registered.keys()])];
}
