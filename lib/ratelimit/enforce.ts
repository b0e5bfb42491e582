import "server-only";
import { AppError } from "@/lib/core/errors";
import { runAfterResponse } from "@/lib/jobs/after";
import { limitAll, type RateLimiter, type RateLimitResult } from "./limiter";

/**
 * Headers for a response to a rate-limited endpoint, on 200 and on 429, as in
 * the IETF draft "RateLimit header fields for HTTP", plus Retry-After when refused.
 */
export function rateLimitHeaders(result: RateLimitResult, now = Date.now()): Record<string, string> {
  // A check that timed out was allowed without asking Redis: there is no limit to report.
  if (result.reason === "timeout") return {};
  const secondsToReset = Math.max(0, Math.ceil((result.reset - now) / 1000));
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(result.limit),
    "RateLimit-Remaining": String(result.remaining),
    "RateLimit-Reset": String(secondsToReset),
  };
  if (!result.success) headers["Retry-After"] = String(Math.max(1, secondsToReset));
  return headers;
}

/**
 * The one way to apply limits: counts the request against every check (`limitAll`), hands the
 * backend's background work to after(), and throws a `rate-limited` error with `message` and when to
 * try again once any of them is exhausted. A Route Handler passes its answer's headers as `report`:
 * they get the tightest allowance (`rateLimitHeaders`), on the 200 and on the 429 alike.
 *
 *   await enforceLimits([[limiters.contact, emailKey(email)]], "Too many messages.", headers);
 */
export async function enforceLimits(
  checks: [RateLimiter, string][],
  message: string,
  report?: Headers,
): Promise<RateLimitResult> {
  const result = await limitAll(checks);
  runAfterResponse(async () => void (await result.pending));
  if (report) for (const [name, value] of Object.entries(rateLimitHeaders(result))) report.set(name, value);
  if (!result.success) throw new RateLimitedError(result, message);
  return result;
}

/** A limit was reached: the message says when to try again, and the result gives the headers. */
export class RateLimitedError extends AppError {
  constructor(
    readonly result: RateLimitResult,
    message: string,
    now = Date.now(),
  ) {
    const seconds = Math.max(1, Math.ceil((result.reset - now) / 1000));
    super("rate-limited", `${message} Please try again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`, {
      reason: "rate-limited",
      retryAfterSeconds: seconds,
    });
    this.name = "RateLimitedError";
  }
}
