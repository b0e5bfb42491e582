import { randomUUID } from "node:crypto";

// Ids arrive from outside: keep only short, log-safe ones so a header cannot forge log lines.
const SAFE_ID = /^[\w.:-]{1,128}$/;

/**
 * The id that ties one request to everything it causes (inbox rows, jobs, log
 * lines): the caller's `x-request-id`, else Vercel's `x-vercel-id`, else a new one.
 */
export function requestIdFrom(headers: Headers): string {
  for (const name of ["x-request-id", "x-vercel-id"]) {
    const value = headers.get(name)?.trim();
    if (value && SAFE_ID.test(value)) return value;
  }
  return randomUUID();
}
