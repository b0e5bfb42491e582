import "server-only";
import { AppError } from "@/lib/core/errors";
import { logger } from "@/lib/core/logger";
import { db, type Executor } from "@/lib/db";
import { readText, route } from "@/lib/http";
import { enqueue } from "@/lib/jobs";
import { recordWebhookEvent, UNSTORABLE_PAYLOAD } from "./inbox";
import { processWebhookEventJob } from "./process";
import { webhookProviders } from "./registry";
import type { VerifiedWebhookEvent } from "./types";

/** Provider events are a few KiB; anything past this is refused before it is read into memory. */
export const WEBHOOK_MAX_BYTES = 1024 * 1024;

/**
 * A provider's whole webhook endpoint as a Route Handler: verify, store, acknowledge, and process
 * in the background. A route file is one line:
 * `export const POST = webhookRoute("stripe")` (the provider's verifier and handlers are in
 * ./registry.ts). A 5xx (database unreachable) makes the provider deliver the event again later.
 */
export function webhookRoute(provider: string, database: Executor = db) {
  return route({ unavailable: "Temporarily unavailable, please retry." }, ({ req, requestId }) =>
    receiveWebhook(database, req, provider, requestId),
  );
}

/** The five rules' first three: verify the raw body, store it (deduplicated), queue its processing. */
async function receiveWebhook(
  db: Executor,
  req: Request,
  provider: string,
  requestId: string,
): Promise<{ received: true }> {
  const { verify } = webhookProviders.get(provider) ?? unknownProvider(provider);
  const rawBody = await readText(req, WEBHOOK_MAX_BYTES);
  let event: VerifiedWebhookEvent;
  try {
    event = await verify(rawBody, req.headers);
  } catch (error) {
    logger.warn({ requestId, provider, err: error }, "webhook rejected: signature did not verify");
    throw new AppError("invalid", "Invalid webhook signature.", { reason: "bad-signature" });
  }

  const log = logger.child({ requestId, provider, eventId: event.id });
  const { isNew, unstorable } = await recordWebhookEvent(db, {
    provider,
    eventId: event.id,
    type: event.type,
    payload: event.payload,
    rawBody,
    requestId,
  });
  if (isNew && unstorable) {
    log.warn({ type: event.type, reason: UNSTORABLE_PAYLOAD }, "webhook event stored as its raw body, marked dead");
  } else if (isNew) {
    log.info({ type: event.type }, "webhook event stored");
    await enqueue(
      processWebhookEventJob,
      { provider, eventId: event.id, requestId },
      { idempotencyKey: `${provider}:${event.id}` },
    );
  } else {
    log.info({ type: event.type }, "duplicate webhook event acknowledged");
  }
  return { received: true };
}

function unknownProvider(provider: string): never {
  throw new Error(`No webhook provider "${provider}" in lib/webhooks/registry.ts`);
}
