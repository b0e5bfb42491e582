import "server-only";
import type { Executor } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";
import { resendHandlers } from "./providers/resend";
import { stripeHandlers } from "./providers/stripe";

/**
 * Handles one stored event inside the processing transaction. Read and write
 * through `tx` only: the handler's changes and the "processed" mark commit
 * together, and on the embedded database a query through the app's `db` would
 * wait for this very transaction. Handlers must be idempotent: a replay runs again.
 */
export type WebhookEventHandler = (event: WebhookEvent, tx: Executor, context: WebhookHandlerContext) => Promise<void>;

export type WebhookHandlerContext = {
  /**
   * Runs `work` once the handler's transaction has committed, e.g. enqueueing
   * a job for a row the handler wrote (a job started earlier would not see it).
   */
  afterCommit(work: () => Promise<unknown>): void;
};

/** One provider's handlers, keyed by event type (e.g. "checkout.session.completed"). */
export type WebhookHandlerMap = Readonly<Record<string, WebhookEventHandler>>;

/** The app's providers. Read inside the functions below (not at import), so import cycles cannot see it half-built. */
const builtInProviders = (): Record<string, WebhookHandlerMap> => ({ resend: resendHandlers, stripe: stripeHandlers });

/** Providers added at runtime: tests register their own. */
const registered = new Map<string, WebhookHandlerMap>();

/** Adds a provider at runtime; types missing from the map are ignored. */
export function registerWebhookProvider(provider: string, handlers: WebhookHandlerMap): void {
  registered.set(provider, handlers);
}

export function webhookHandlersFor(provider: string): WebhookHandlerMap | undefined {
  return registered.get(provider) ?? builtInProviders()[provider];
}

/** The providers this deployment can process; the sweeper only picks up their events. */
export function registeredWebhookProviders(): string[] {
  return [...new Set([...Object.keys(builtInProviders()), ...registered.keys()])];
}
