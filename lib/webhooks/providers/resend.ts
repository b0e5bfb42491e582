import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { EmailStatus, WebhookEvent } from "@/lib/db/schema";
import { suppressAddress } from "@/lib/email";
import { announceEmailStatus } from "@/lib/email/status";
import { env } from "@/lib/core/env";
import { Webhook } from "standardwebhooks";
import type { VerifiedWebhookEvent, WebhookHandlerMap } from "../types";

const { emails } = schema;

type ResendEmailEvent = {
  type: string;
  created_at: string;
  data: { email_id: string; to?: string[]; bounce?: { message?: string } };
};

/**
 * Checks Resend's Svix signature headers (the Standard Webhooks scheme, which
 * Resend's own `webhooks.verify` implements too); throws on a missing, forged
 * or stale (> 5 min) signature. Needs only the secret, no API key.
 */
export function verifyResendEvent(rawBody: string, headers: Headers): VerifiedWebhookEvent {
  if (!env.resendWebhookSecret) throw new Error("RESEND_WEBHOOK_SECRET is not set: no Resend webhook can be verified");
  const id = headers.get("svix-id") ?? "";
  const event = new Webhook(env.resendWebhookSecret).verify(rawBody, {
    "webhook-id": id,
    "webhook-timestamp": headers.get("svix-timestamp") ?? "",
    "webhook-signature": headers.get("svix-signature") ?? "",
  }) as ResendEmailEvent;
  return { id, type: event.type, payload: event };
}

/** Moves our email row (found by Resend's id) to `status`, but only from the states listed: statuses never go backwards. */
function setStatus(status: EmailStatus, from: EmailStatus[]) {
  return async (tx: Executor, event: WebhookEvent) => {
    const { data } = event.payload as ResendEmailEvent;
    const bounce = data.bounce?.message;
    const moved = await tx
      .update(emails)
      .set({ status, ...(bounce ? { lastError: `bounced: ${bounce}` } : {}) })
      .where(and(eq(emails.providerId, data.email_id), inArray(emails.status, from)))
      .returning({ id: emails.id, to: emails.to, template: emails.template });
    for (const email of moved) await announceEmailStatus(tx, email, status);
  };
}

function suppressRecipients(reason: "bounced" | "complained") {
  return async (tx: Executor, event: WebhookEvent) => {
    const { data } = event.payload as ResendEmailEvent;
    for (const address of data.to ?? []) await suppressAddress(tx, address, reason, event.eventId);
  };
}

const markBounced = setStatus("bounced", ["sent", "delivered"]);
const markComplained = setStatus("complained", ["sent", "delivered", "bounced"]);
const suppressBounced = suppressRecipients("bounced");
const suppressComplained = suppressRecipients("complained");

export const resendHandlers: WebhookHandlerMap = {
  "email.delivered": setStatus("delivered", ["sent"]),
  "email.delivery_delayed": async (tx, event) => {
    const { data } = event.payload as ResendEmailEvent;
    await tx.update(emails).set({ lastError: "delivery delayed" }).where(eq(emails.providerId, data.email_id));
  },
  "email.bounced": async (tx, event) => {
    await markBounced(tx, event);
    await suppressBounced(tx, event);
  },
  "email.complained": async (tx, event) => {
    await markComplained(tx, event);
    await suppressComplained(tx, event);
  },
  "email.failed": setStatus("failed", ["queued", "sent"]),
};
