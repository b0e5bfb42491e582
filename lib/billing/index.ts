/**
 * Billing with Stripe: plans and their limits (`plans.ts`), Checkout and the customer portal
 * (`checkout.ts`), subscriptions as the webhooks report them (`subscriptions.ts`, `customers.ts`),
 * the nightly reconciliation (`reconcile.ts`), payment notices (`notifications.ts`), and the one
 * Stripe client (`stripe.ts`, null without STRIPE_SECRET_KEY).
 */
export * from "./plans";
export { BillingError, createBillingPortalSession, createCheckoutSession } from "./checkout";
export { reconcileSubscriptions, type ReconcileResult } from "./reconcile";
export { billingConfigured, createStripeClient, stripe, STRIPE_TIMEOUT_MS } from "./stripe";
