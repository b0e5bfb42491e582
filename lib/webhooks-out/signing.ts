import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** A new signing secret: `whsec_` and 32 random bytes in base64, as Standard Webhooks and Svix write them. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/**
 * The Standard Webhooks headers of one try: `webhook-id` (the message's id, the same on every
 * try, so receivers dedupe on it), `webhook-timestamp` (this try's, in seconds) and
 * `webhook-signature`, one `v1,<base64 HMAC-SHA256 of id.timestamp.body>` per secret, separated
 * by spaces: during a rotation both the new and the previous secret sign, so a receiver holding
 * either accepts it.
 */
export function signatureHeaders(secrets: string[], messageId: string, body: string, at = new Date()) {
  // Whole seconds: the header carries seconds, and the signature must be over the same value.
  const timestamp = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(timestamp.getTime() / 1000),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body)).join(" "),
  };
}
