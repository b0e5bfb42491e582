import type { AfterCommit, Executor } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";

/** What a provider's signature check yields: the event's own id and type, and the parsed event. */
export type VerifiedWebhookEvent = { id: string; type: string; payload: unknown };

/** Checks the signature on the raw body (with the provider's SDK) and parses it; throws when it does not verify. */
export type WebhookVerifier = (
  rawBody: string,
  headers: Headers,
) => VerifiedWebhookEvent | Promise<VerifiedWebhookEvent>;

/**
 * Handles one stored event inside the processing transaction. Read and write
 * through `tx` only: the handler's changes and the "processed" mark commit
 * together, and on the embedded database a query through the app's `db` would
 * wait for this very transaction. Handlers must be idempotent: a replay runs again.
 */
export type WebhookEventHandler = (tx: Executor, event: WebhookEvent, context: WebhookHandlerContext) => Promise<void>;

export type WebhookHandlerContext = {
  /** E.g. enqueueing a job for a row the handler wrote (a job started earlier would not see it). */
  afterCommit: AfterCommit;
};

/** One provider's handlers, keyed by event type (e.g. "checkout.session.completed"). */
export type WebhookHandlerMap = Readonly<Record<string, WebhookEventHandler>>;
