import "server-only";
import { startRequestLog } from "./request-log";
import { startServerSentry } from "./sentry";

/** Called once per server process from instrumentation.ts: the per-request log line, then Sentry when configured. */
export async function startServerObservability(): Promise<void> {
  startRequestLog();
  await startServerSentry();
}
