/**
 * Error reports from the browser, for errors a React error boundary caught
 * (those never reach the SDK's global handlers). On only when
 * NEXT_PUBLIC_SENTRY_DSN was set at build time: Next inlines the value, so
 * without it the SDK is not in the bundle. instrumentation-client.ts starts it.
 */
export function reportBrowserError(error: Error) {
  if (!process.env.NEXT_PUBLIC_SENTRY_DSN) return;
  void import("@sentry/nextjs").then((Sentry) => Sentry.captureException(error));
}
