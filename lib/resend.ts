import "server-only";
import { Resend } from "resend";
import { env } from "@/lib/env";

/**
 * The one Resend client, or null without RESEND_API_KEY: the email pipeline
 * then stores each email in the dev outbox (`/dev/emails`) instead of sending
 * it. Webhook verification needs no client (lib/webhooks/providers/resend.ts).
 */
export const resend: Resend | null = env.RESEND_API_KEY
  ? new Resend(env.RESEND_API_KEY, { baseUrl: env.RESEND_BASE_URL })
  : null;

export const resendConfigured = resend !== null;

/** How long one send may take before the job records a failure (the sweeper retries it). */
export const RESEND_TIMEOUT_MS = 10_000;
