import "server-only";
import { Resend } from "resend";
import { env } from "@/lib/env";

/**
 * The one Resend client. Without RESEND_API_KEY the email pipeline never calls
 * the API (emails go to the dev outbox), but the SDK still needs a key string
 * to construct, and its webhook verification works offline.
 */
export const resend = new Resend(env.RESEND_API_KEY ?? "re_not_configured", { baseUrl: env.RESEND_BASE_URL });

export const resendConfigured = Boolean(env.RESEND_API_KEY);

/** How long one send may take before the job records a failure (the sweeper retries it). */
export const RESEND_TIMEOUT_MS = 10_000;
