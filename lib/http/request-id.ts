import { randomUUID } from "node:crypto";

// Ids arrive from outside: keep only short, log-safe ones so a header cannot forge log lines.
const SAFE_ID = /^[\w.:-]{1,128}$/;

/** The response header that gives a request's id back to the caller (and to support, from a bug report). */
export const REQUEST_ID_HEADER = "x-request-id";

/** Fetch `Headers`, or Node's `IncomingHttpHeaders` (the HTTP server's request-log hook). */
type AnyHeaders = Headers | Record<string, string | string[] | undefined>;

const headerValue = (headers: AnyHeaders, name: string) => {
  const value = headers instanceof Headers ? headers.get(name) : headers[name];
  return typeof value === "string" ? value.trim() : undefined;
};

/**
 * The id that ties one request to everything it causes (inbox rows, jobs, log
 * lines): the caller's `x-request-id`, else Vercel's `x-vercel-id`, else a new one.
 */
export function requestIdFrom(headers: AnyHeaders): string {
  for (const name of [REQUEST_ID_HEADER, "x-vercel-id"]) {
    const value = headerValue(headers, name);
    if (value && SAFE_ID.test(value)) return value;
  }
  return randomUUID();
}
