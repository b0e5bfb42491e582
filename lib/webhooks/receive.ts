import "server-only";
import type { Executor } from "@/lib/db";
import { BodyTooLargeError, readBodyWithLimit } from "@/lib/http";
import { enqueue } from "@/lib/jobs";
import { logger } from "@/lib/logger";
import { requestIdFrom } from "@/lib/request-id";
import { recordWebhookEvent, UNSTORABLE_PAYLOAD } from "./inbox";
import { processWebhookEventJob } from "./process";
import type { VerifiedWebhookEvent, WebhookVerifier } from "./types";

/** Provider events are a few KiB; anything past this is refused before it is read into memory. */
export const WEBHOOK_MAX_BYTES = 1024 * 1024;

export type WebhookEndpoint = {
  provider: string;
  verify: WebhookVerifier;
};

/**
 * A provider's whole webhook endpoint: verify, store, acknowledge, and process
 * in the background. A route file is one line:
 * `export const POST = (req: Request) => handleWebhook(db, req, { provider: "stripe", verify: verifyStripeEvent })`.
 */
export async function handleWebhook(
  db: Executor,
  req: Request,
  { provider, verify }: WebhookEndpoint,
): Promise<Response> {
  const requestId = requestIdFrom(req.headers);
  const headers = { "x-request-id": requestId };
  let rawBody: string;
  try {
    rawBody = await readBodyWithLimit(req, WEBHOOK_MAX_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      return Response.json({ error: "Webhook body too large." }, { status: 413, headers });
    return Response.json({ error: "The request body could not be read." }, { status: 400, headers });
  }

  let event: VerifiedWebhookEvent;
  try {
    event = await verify(rawBody, req.headers);
  } catch (error) {
    logger.warn({ requestId, provider, err: error }, "webhook rejected: signature did not verify");
    return Response.json({ error: "Invalid webhook signature." }, { status: 400, headers });
  }

  const log = logger.child({ requestId, provider, eventId: event.id });
  let isNew: boolean;
  let unstorable: boolean;
  try {
    ({ isNew, unstorable } = await recordWebhookEvent(db, {
      provider,
      eventId: event.id,
      type: event.type,
      payload: event.payload,
      rawBody,
      requestId,
    }));
  } catch (error) {
    // Not stored, so not acknowledged: a 5xx makes the provider deliver it again later.
    log.error({ err: error }, "webhook not stored: database unavailable");
    return Response.json(
      { error: "Temporarily unavailable, please retry." },
      { status: 503, headers: { ...headers, "retry-after": "60" } },
    );
  }

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
  return Response.json({ received: true }, { headers });
}
