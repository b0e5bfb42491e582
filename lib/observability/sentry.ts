import "server-only";
import { env } from "@/lib/core/env";
import { logger } from "@/lib/core/logger";
import { REQUEST_ID_HEADER } from "@/lib/http/request-id";
import { currentRequestId } from "./request-context";
import { scrubEvent } from "./scrub";

/** How long a failed job waits for its report to leave (serverless may freeze the process after). */
const FLUSH_TIMEOUT_MS = 2_000;

/** Sentry is on only with SENTRY_DSN; without it nothing is initialised and nothing is sent (errors stay in the log). */
export const isSentryConfigured = (): boolean => Boolean(env.SENTRY_DSN);

/**
 * The SDK, imported on first use and only with SENTRY_DSN: its few hundred modules (OpenTelemetry
 * included) would otherwise load in every function's cold start, to do nothing.
 */
const sentrySdk = () => import("@sentry/nextjs");

/**
 * Starts the server SDK (instrumentation.ts calls this on Node). Uncaught
 * errors in pages, Route Handlers and Server Actions then reach Sentry through
 * `onRequestError`; jobs and webhooks report theirs with `reportError`.
 */
export async function startServerSentry(): Promise<void> {
  if (!env.SENTRY_DSN) return;
  const Sentry = await sentrySdk();
  // Sentry keeps its client on globalThis, so each Next bundle that loads this module sees the same one.
  if (Sentry.getClient()) return;
  Sentry.init({
    dsn: env.SENTRY_DSN,
    environment: env.SENTRY_ENVIRONMENT ?? (env.VERCEL ? "vercel" : env.NODE_ENV),
    // Errors only. No tracesSampleRate at all: even 0 turns span recording on (the SDK records a span
    // for every request, then drops it), which costs each request CPU; left unset, no span is made.
    beforeSend: (event) => scrubEvent(tagRequestId(event)),
    beforeBreadcrumb: (breadcrumb) => scrubEvent(breadcrumb),
  });
  logger.info({ feature: "sentry" }, "Sentry error tracking is on");
}

/**
 * Next's `onRequestError` (instrumentation.ts): uncaught errors in pages, Route Handlers and Server
 * Actions, sent with the request's data. A no-op without SENTRY_DSN, which then loads no SDK.
 */
export async function captureRequestError(...args: Parameters<typeof import("@sentry/nextjs").captureRequestError>) {
  if (!env.SENTRY_DSN) return;
  const Sentry = await sentrySdk();
  return Sentry.captureRequestError(...args);
}

/** Request errors carry our request id header; lift it into a tag so an event and its log lines meet. */
function tagRequestId<E extends import("@sentry/nextjs").ErrorEvent>(event: E): E {
  const header = event.request?.headers?.[REQUEST_ID_HEADER];
  if (header && !event.tags?.request_id) event.tags = { ...event.tags, request_id: header };
  return event;
}

/** The tags a background failure is searched by in Sentry. */
export type FailureTags = {
  job?: string;
  provider?: string;
  event_id?: string;
  request_id?: string;
  [tag: string]: string | undefined;
};

/**
 * Reports a failure that no request surfaces (a job that failed, a webhook
 * or email that went dead) with its tags, the current request id included,
 * and waits briefly for it to leave. A no-op without SENTRY_DSN; never throws.
 */
export async function reportError(error: unknown, tags: FailureTags = {}): Promise<void> {
  if (!env.SENTRY_DSN) return;
  try {
    // A job runner without instrumentation.ts (a Trigger.dev worker, a script) starts the SDK here.
    await startServerSentry();
    const Sentry = await sentrySdk();
    const request_id = tags.request_id ?? currentRequestId();
    const defined = Object.entries({ ...tags, request_id }).filter(([, value]) => value !== undefined);
    Sentry.captureException(error, { tags: Object.fromEntries(defined) as Record<string, string> });
    await Sentry.flush(FLUSH_TIMEOUT_MS);
  } catch (reportFailure) {
    logger.warn({ err: reportFailure }, "could not report an error to Sentry");
  }
}

/**
 * Reports an unexpected error of a Route Handler the way Next's `onRequestError` would (the same
 * request data, scrubbed in `beforeSend`): the route wrapper answers such errors itself, so Next
 * never sees them. A no-op without SENTRY_DSN; never throws.
 */
export async function reportRequestError(error: unknown, req: Request, requestId: string): Promise<void> {
  if (!env.SENTRY_DSN) return;
  try {
    await startServerSentry();
    const Sentry = await sentrySdk();
    const url = new URL(req.url);
    Sentry.withScope((scope) => {
      scope.setTag("request_id", requestId);
      Sentry.captureRequestError(
        error,
        { path: `${url.pathname}${url.search}`, method: req.method, headers: Object.fromEntries(req.headers) },
        { routerKind: "App Router", routePath: url.pathname, routeType: "route" },
      );
    });
    await Sentry.flush(FLUSH_TIMEOUT_MS);
  } catch (reportFailure) {
    logger.warn({ err: reportFailure }, "could not report an error to Sentry");
  }
}
