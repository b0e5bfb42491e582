import "server-only";
import { env } from "@/lib/core/env";

/** Thrown on purpose by GET /api/dev/test-error, so error tracking can be seen working end to end. */
export class ObservabilityTestError extends Error {
  constructor() {
    super("Test error from /dev/observability: thrown on purpose to check error tracking");
    this.name = "ObservabilityTestError";
  }
}

/** A DSN without its key: the host and project an error goes to, safe to show on a page. */
function sentryTarget(dsn: string | undefined): string | null {
  if (!dsn) return null;
  const url = new URL(dsn);
  return `${url.host}${url.pathname}`;
}

/** Where errors, events and logs go with the current settings: what /dev/observability shows. */
export function observabilityDestinations() {
  return {
    sentryServer: sentryTarget(env.SENTRY_DSN),
    sentryBrowser: sentryTarget(env.NEXT_PUBLIC_SENTRY_DSN),
    posthog: env.POSTHOG_KEY ? (env.POSTHOG_HOST ?? "https://us.i.posthog.com") : null,
    logLevel: env.LOG_LEVEL ?? (env.isTest ? "silent" : "info"),
    vercelAnalytics: Boolean(env.VERCEL),
  };
}

export type ObservabilityDestinations = ReturnType<typeof observabilityDestinations>;
