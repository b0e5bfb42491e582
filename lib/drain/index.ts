/**
 * Shutting a long-running server down without losing work (Stack B, containers): on SIGTERM it
 * stops taking connections, tells open event streams to reconnect elsewhere, finishes what is in
 * flight until SHUTDOWN_DRAIN_SECONDS, gives the rest back to the sweeper, and exits 0.
 */
export { drainOnSignals, drainServer } from "./signals";
export type { DrainReport } from "./drain";
export { isDraining } from "./state";
