import type { Instrumentation } from "next";

/**
 * Runs once when the server starts. The work is Node-only (it may stop the
 * process), so it lives in its own module that the Edge build never compiles.
 * Nothing here imports an SDK: Sentry loads (lib/observability/sentry) only with SENTRY_DSN,
 * so a function's cold start without it does not pay for the SDK's few hundred modules.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./lib/core/startup");
    const { startServerObservability } = await import("./lib/observability");
    await startServerObservability();
    // SIGTERM drains a production server (stop taking connections, finish or give back the work, exit 0).
    // Behind a condition the bundler decides: `next dev`, which never drains, does not compile the drain's graph.
    if (process.env.NODE_ENV === "production") {
      const { drainOnSignals } = await import("./lib/drain");
      drainOnSignals();
    }
  }
}

/** Uncaught errors in pages, Route Handlers and Server Actions; a no-op until Sentry is started (SENTRY_DSN). */
export const onRequestError: Instrumentation.onRequestError = async (...args) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { captureRequestError } = await import("./lib/observability/sentry");
  await captureRequestError(...args);
};
