import * as Sentry from "@sentry/nextjs";

/**
 * Runs once when the server starts. The work is Node-only (it may stop the
 * process), so it lives in its own module that the Edge build never compiles.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./lib/startup");
    const { startServerObservability } = await import("./lib/observability");
    startServerObservability();
  }
}

/** Uncaught errors in pages, Route Handlers and Server Actions; a no-op until Sentry is started (SENTRY_DSN). */
export const onRequestError = Sentry.captureRequestError;
