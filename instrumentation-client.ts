import { scrubEvent } from "@/lib/observability/scrub";

/**
 * Browser error tracking, on only when NEXT_PUBLIC_SENTRY_DSN is set at build
 * time. Next inlines the value, so without it the SDK is not even in the
 * bundle; with it, it loads after the page and reports uncaught errors,
 * scrubbed like the server's.
 */
const dsn = process.env.NEXT_PUBLIC_SENTRY_DSN;

if (dsn) {
  void import("@sentry/nextjs").then((Sentry) =>
    Sentry.init({ dsn, beforeSend: scrubEvent, beforeBreadcrumb: scrubEvent }),
  );
}
