import "server-only";
import Stripe from "stripe";
import { env } from "@/lib/core/env";

/** How long one Stripe API call may take before the SDK gives up (and retries, up to `maxNetworkRetries`). */
export const STRIPE_TIMEOUT_MS = 10_000;

/**
 * A Stripe client on the SDK's pinned API version (`Stripe.API_VERSION`), so
 * the types and the JSON Stripe sends always match. Tests pass
 * `{ host: "127.0.0.1", port, protocol: "http" }` to talk to a local fake API.
 */
export function createStripeClient(secretKey: string, overrides: Stripe.StripeConfig = {}): Stripe {
  return new Stripe(secretKey, {
    timeout: STRIPE_TIMEOUT_MS,
    // Safe for every call we make: the SDK sends an idempotency key with each retried POST.
    maxNetworkRetries: 2,
    appInfo: { name: "recipe-box" },
    ...overrides,
  });
}

/**
 * The one Stripe client, or null without STRIPE_SECRET_KEY: billing then shows
 * "not configured" and the dev simulator (/dev/stripe) stands in for Stripe.
 * Webhook signatures are checked with the static `Stripe.webhooks`, which needs no key.
 */
export const stripe: Stripe | null = env.STRIPE_SECRET_KEY ? createStripeClient(env.STRIPE_SECRET_KEY) : null;

export const billingConfigured = stripe !== null;
