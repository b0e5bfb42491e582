import "server-only";
import { runAfterResponse } from "@/lib/jobs/after";
import { apiLimiters, RateLimitedError, type RateLimitResult } from "@/lib/ratelimit";
import type { ApiCaller } from "./keys";

/** Both API limits count per minute (API_RATE_LIMIT_PER_KEY, API_RATE_LIMIT_PER_TEAM). */
const WINDOW_SECONDS = 60;

/**
 * Counts the request against its key's limit and its team's (every key of a team together), and
 * reports both on the answer as the IETF draft "RateLimit header fields for HTTP" has them:
 *
 *   RateLimit-Policy: "key";q=600;w=60, "team";q=1200;w=60
 *   RateLimit: "key";r=598;t=42
 *
 * `RateLimit` names the policy closest to its limit. Past either limit: 429 with Retry-After. A
 * limiter that could not be asked (Redis down) lets the request through, as everywhere in the app.
 */
export async function enforceApiLimits(caller: ApiCaller, headers: Headers, now = Date.now()): Promise<void> {
  const limiters = apiLimiters();
  const [key, team] = await Promise.all([
    limiters.key.limit(`key:${caller.keyId}`),
    limiters.team.limit(`team:${caller.teamId}`),
  ]);
  runAfterResponse(async () => void (await Promise.all([key.pending, team.pending])));
  const policies = (
    [
      ["key", key],
      ["team", team],
    ] as [string, RateLimitResult][]
  ).filter(([, result]) => result.reason !== "timeout");
  if (policies.length === 0) return;
  headers.set("RateLimit-Policy", policies.map(([name, r]) => `"${name}";q=${r.limit};w=${WINDOW_SECONDS}`).join(", "));
  const [name, tightest] =
    policies.find(([, r]) => !r.success) ?? policies.sort(([, a], [, b]) => a.remaining - b.remaining)[0]!;
  const seconds = Math.max(0, Math.ceil((tightest.reset - now) / 1000));
  headers.set("RateLimit", `"${name}";r=${tightest.remaining};t=${seconds}`);
  if (!tightest.success) {
    throw new RateLimitedError(
      tightest,
      name === "key" ? "This API key made too many requests." : "This team's API keys made too many requests.",
      now,
    );
  }
}
