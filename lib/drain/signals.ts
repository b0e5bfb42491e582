import "server-only";
import { env } from "@/lib/core/env";
import { logger } from "@/lib/core/logger";
import { watchHttpServers } from "./http";
import { markDraining } from "./state";

/**
 * `drainServer` (lib/drain/drain.ts), imported when first needed: it reaches the database, the job
 * queue, email, webhooks and real-time, which a process that never drains (a Vercel function, whose
 * cold start this module is part of through instrumentation.ts and /api/health) should not load.
 */
export async function drainServer(...args: Parameters<typeof import("./drain").drainServer>) {
  // At once, before the import: /api/health answers 503 from the moment the drain begins.
  markDraining();
  const { drainServer: drain } = await import("./drain");
  return drain(...args);
}

/** How long past the drain's deadline the process may take to close its pool before it is stopped anyway. */
const EXIT_MARGIN_MS = 10_000;

/**
 * Called once per server process (instrumentation.ts). Under `npm start`, which sets
 * NEXT_MANUAL_SIG_HANDLE, Next leaves SIGTERM and SIGINT to the app, and this drains the server
 * (`drainServer`, SHUTDOWN_DRAIN_SECONDS) and exits 0. Without it Next handles them itself: it
 * stops taking connections and waits for every request and job with no deadline (an open event
 * stream never ends), then exits 143; that is said once at start-up in production.
 */
export function drainOnSignals(exit: (code: number) => void = (code) => process.exit(code)): void {
  const log = logger.child({ feature: "drain" });
  if (!env.NEXT_MANUAL_SIG_HANDLE) {
    if (env.isProduction && !env.VERCEL && env.NEXT_PHASE !== "phase-production-build")
      log.warn(
        "NEXT_MANUAL_SIG_HANDLE unset: on SIGTERM Next waits for every request and job with no deadline " +
          "and open event streams keep it from finishing; start with `npm start` to drain within SHUTDOWN_DRAIN_SECONDS",
      );
    return;
  }
  watchHttpServers();
  // Loaded now, not on the signal: the drain should start the moment SIGTERM arrives.
  import("./drain").catch(() => {});
  let draining = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (draining) return log.warn({ signal }, "already shutting down");
    draining = true;
    const deadline = Date.now() + env.shutdownDrainSeconds * 1000;
    log.info({ signal, drainSeconds: env.shutdownDrainSeconds }, "shutting down: draining");
    // A step that hangs past every timeout must not keep the process from ending before the host kills it.
    const backstop = setTimeout(
      () => {
        log.error("drain did not finish in time: exiting anyway");
        exit(1);
      },
      deadline - Date.now() + EXIT_MARGIN_MS,
    ).unref();
    drainServer(deadline)
      .then(
        () => exit(0),
        (error: unknown) => {
          log.error({ err: error }, "drain failed");
          exit(1);
        },
      )
      .finally(() => clearTimeout(backstop));
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
