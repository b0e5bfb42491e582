import "server-only";
import { Resend } from "resend";
import { env } from "@/lib/core/env";

/**
 * The Resend client for RESEND_API_KEY, or null without it: the email
 * pipeline then stores each email in the dev outbox (`/dev/emails`) instead of
 * sending it. Made when a send asks for it (a client only holds the key and
 * headers), from `env` as it is then. Webhook verification needs no client
 * (lib/webhooks/providers/resend.ts).
 */
export function resendClient(): Resend | null {
  return env.RESEND_API_KEY ? new Resend(env.RESEND_API_KEY, { baseUrl: env.RESEND_BASE_URL }) : null;
}

/** Whether emails go through Resend (RESEND_API_KEY set) rather than the dev outbox. */
export const resendConfigured = Boolean(env.RESEND_API_KEY);

/** How long one send may take before the job records a failure (the sweeper retries it). */
export const RESEND_TIMEOUT_MS = 10_000;
