import "server-only";
import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { env } from "@/lib/core/env";

export const simulatedResendEvents = ["email.delivered", "email.bounced", "email.complained"] as const;
export type SimulatedResendEvent = (typeof simulatedResendEvents)[number];

/**
 * A Resend webhook delivery as Resend would send it, signed with our webhook
 * secret (or the local dev one), for the dev tools and tests.
 */
export function signedResendDelivery(
  type: string,
  data: Record<string, unknown>,
  options: { secret?: string; timestamp?: Date } = {},
) {
  const secret = options.secret ?? env.resendWebhookSecret;
  if (!secret) throw new Error("RESEND_WEBHOOK_SECRET is not set");
  const id = `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? new Date();
  const body = JSON.stringify({ type, created_at: timestamp.toISOString(), data });
  const signature = new Webhook(secret).sign(id, timestamp, body);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "svix-signature": signature,
    },
  };
}
