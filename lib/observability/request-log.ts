import "server-only";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { logger as appLogger, type Logger } from "@/lib/core/logger";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/http/request-id";
import { enterRequestContext, type RequestContext } from "./request-context";

type RequestStart = { request: IncomingMessage; response: ServerResponse };

// Build assets and images are many per page view: logged at debug so a page is one info line.
const ASSET_PATH = /^\/(_next\/(static|image)|favicon\.ico)/;
// A path segment that looks like a secret (a reset-password token): never logged. UUIDs stay readable.
const TOKEN_SEGMENT = /^(?![0-9a-f]{8}-[0-9a-f]{4}-)[\w-]{20,}$/i;

/** The path without its query string (which may carry tokens or emails), token-like segments masked. */
export function routeForLog(url: string | undefined): string {
  const path = (url ?? "/").split("?", 1)[0]!.split("#", 1)[0]!;
  return path
    .split("/")
    .map((segment) => (TOKEN_SEGMENT.test(segment) ? ":redacted" : segment))
    .join("/")
    .slice(0, 300);
}

/**
 * One JSON line per request (id, method, route, status, duration, user), and
 * the request id on every other line the request writes. Node's HTTP server
 * announces each request on the `http.server.request.start` diagnostics
 * channel just before the app sees it, so this covers pages, Route Handlers,
 * Server Actions and assets alike, with no wrapper in any route. The id (the
 * caller's x-request-id if it is safe, else a new one) is written back onto
 * the request, so `requestIdFrom(req.headers)` in a route agrees, and onto the
 * response header. Returns a function that stops it (tests).
 */
export function startRequestLog(logger: Logger = appLogger): () => void {
  const onRequestStart = (message: unknown) => {
    const { request, response } = message as RequestStart;
    const startedAt = performance.now();
    const context: RequestContext = { requestId: requestIdFrom(request.headers) };
    request.headers[REQUEST_ID_HEADER] = context.requestId;
    response.setHeader(REQUEST_ID_HEADER, context.requestId);
    enterRequestContext(context);
    response.once("close", () => {
      const route = routeForLog(request.url);
      const line = {
        requestId: context.requestId,
        method: request.method,
        route,
        status: response.statusCode,
        durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
        userId: context.userId,
        // The client went away before the whole response was sent.
        aborted: response.writableFinished ? undefined : true,
      };
      if (line.status >= 500) logger.error(line, "request");
      else if (ASSET_PATH.test(route)) logger.debug(line, "request");
      else logger.info(line, "request");
    });
  };
  subscribe("http.server.request.start", onRequestStart);
  return () => unsubscribe("http.server.request.start", onRequestStart);
}
