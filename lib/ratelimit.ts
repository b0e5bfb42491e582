import "server-only";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

/**
 * Rate limits, keyed on what a client cannot forge (an account's email, a
 * sender's address, a global ceiling, the client IP only as TRUST_PROXY says).
 * With UPSTASH_REDIS_REST_URL/TOKEN the counts live in Redis (@upstash/ratelimit),
 * shared by every instance; without them rate-limiter-flexible counts in memory.
 *
 *   const result = await limitAll([[limiters.contact, `sender:${email}`], [limiters.contactGlobal, "all"]]);
 *   runAfterResponse(async () => void (await result.pending));
 *   if (!result.success) return Response.json(..., { status: 429, headers: rateLimitHeaders(result) });
 */

export type RateLimitResult = {
  success: boolean;
  limit: number;
  remaining: number;
  /** When the client may try again, in ms since the epoch. */
  reset: number;
  /** Background work (Upstash analytics, multi-region sync): hand it to `after()`. */
  pending: Promise<unknown>;
  /** "timeout": Redis did not answer (or failed) and the request was allowed. */
  reason?: "timeout" | "cacheBlock" | "denyList";
};

export type RateLimiter = {
  name: string;
  backend: "upstash" | "memory";
  limit(identifier: string): Promise<RateLimitResult>;
};

export type RateLimiterOptions = {
  name: string;
  limit: number;
  windowSeconds: number;
  /** An Upstash client: the counts live in Redis. Without it they live in this process. */
  redis?: Redis;
  /** How long to wait for Redis before letting the request through (fail open). */
  timeoutMs?: number;
};

export function createRateLimiter({ name, limit, windowSeconds, redis, timeoutMs = 1000 }: RateLimiterOptions) {
  return redis
    ? upstashLimiter(name, limit, windowSeconds, redis, timeoutMs)
    : memoryLimiter(name, limit, windowSeconds);
}

function upstashLimiter(name: string, limit: number, windowSeconds: number, redis: Redis, timeout: number) {
  const ratelimit = new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(limit, `${windowSeconds} s`),
    prefix: `ratelimit:${name}`,
    // While warm, identifiers already over the limit are refused from memory, without a Redis call.
    ephemeralCache: new Map<string, number>(),
    // On timeout the library allows the request (reason "timeout"): a Redis outage must not take the site down.
    timeout,
    analytics: false,
  });
  const limiter: RateLimiter = {
    name,
    backend: "upstash",
    async limit(identifier) {
      try {
        const { success, limit: max, remaining, reset, pending, reason } = await ratelimit.limit(identifier);
        return { success, limit: max, remaining, reset, pending, reason };
      } catch (error) {
        // Redis answered with an error (wrong token, quota): fail open, like a timeout.
        logger.warn({ err: error, limiter: name }, "rate limit check failed: request allowed");
        return {
          success: true,
          limit,
          remaining: limit,
          reset: Date.now(),
          pending: Promise.resolve(),
          reason: "timeout",
        };
      }
    },
  };
  return limiter;
}

function memoryLimiter(name: string, limit: number, windowSeconds: number) {
  const counter = new RateLimiterMemory({ points: limit, duration: windowSeconds, keyPrefix: name });
  const pending = Promise.resolve();
  const limiter: RateLimiter = {
    name,
    backend: "memory",
    async limit(identifier) {
      warnOnceInProduction();
      try {
        const used = await counter.consume(identifier);
        return {
          success: true,
          limit,
          remaining: used.remainingPoints,
          reset: Date.now() + used.msBeforeNext,
          pending,
        };
      } catch (refused) {
        // rate-limiter-flexible rejects with the counter's state when the limit is reached, and with an Error otherwise.
        if (!(refused instanceof RateLimiterRes)) throw refused;
        return { success: false, limit, remaining: 0, reset: Date.now() + refused.msBeforeNext, pending };
      }
    },
  };
  return limiter;
}

let warnedPerProcess = false;

function warnOnceInProduction() {
  if (!env.isProduction || warnedPerProcess) return;
  warnedPerProcess = true;
  logger.warn(
    "Rate limits are per process (UPSTASH_REDIS_REST_URL unset): each server instance counts on its own, so the effective limit grows with the number of instances. Set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN.",
  );
}

/**
 * Checks one request against several limits at once (every one counts it) and
 * answers with the first refusal, or with the tightest allowance.
 */
export async function limitAll(checks: [RateLimiter, string][]): Promise<RateLimitResult> {
  const results = await Promise.all(checks.map(([limiter, identifier]) => limiter.limit(identifier)));
  const pending = Promise.all(results.map((result) => result.pending));
  const refused = results.filter((result) => !result.success).sort((a, b) => b.reset - a.reset)[0];
  const tightest = refused ?? [...results].sort((a, b) => a.remaining - b.remaining)[0]!;
  return { ...tightest, pending };
}

const upstash =
  env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
    ? new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN })
    : undefined;

// Next loads this module once for Route Handlers and once for Server Actions; both must count in
// the same in-memory windows, so each rule's instance lives on globalThis, keyed by its configuration.
const shared = globalThis as unknown as { __rateLimiters?: Map<string, RateLimiter> };
function sharedLimiter(options: Omit<RateLimiterOptions, "redis">): RateLimiter {
  const key = JSON.stringify([options, env.NODE_ENV, env.UPSTASH_REDIS_REST_URL ?? null]);
  shared.__rateLimiters ??= new Map();
  if (!shared.__rateLimiters.has(key))
    shared.__rateLimiters.set(key, createRateLimiter({ ...options, redis: upstash }));
  return shared.__rateLimiters.get(key)!;
}

export const limiters = {
  /** POST /api/contact, per sender address (and per client IP when TRUST_PROXY names one). */
  contact: sharedLimiter({ name: "contact", limit: env.contactRateLimit, windowSeconds: env.contactRateWindowSeconds }),
  /** POST /api/contact, every sender together: varying the address never buys unlimited messages. */
  contactGlobal: sharedLimiter({ name: "contact-global", limit: env.contactGlobalRateLimit, windowSeconds: 60 }),
  /** Sign-in, sign-up, magic-link and password-reset requests, per email address (and per trusted client IP). */
  auth: sharedLimiter({ name: "auth", limit: env.authRateLimit, windowSeconds: 60 }),
  /** The same requests, all accounts together. */
  authGlobal: sharedLimiter({ name: "auth-global", limit: env.authGlobalRateLimit, windowSeconds: 60 }),
  /** POST /api/ai/draft-recipe, per signed-in user: a burst ceiling under the plan's daily quota. */
  aiDraft: sharedLimiter({ name: "ai-draft", limit: env.aiBurstLimit, windowSeconds: 60 }),
};

export type RateLimiterName = keyof typeof limiters;

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
 * The client's IP as TRUST_PROXY says to find it, or undefined when no header
 * can be believed (`none`: `next start` passes a client's X-Forwarded-For through).
 * A hop count N takes the N-th X-Forwarded-For entry from the right: the one
 * the outermost of our own N proxies appended.
 */
export function clientIp(headers: Headers, trustProxy: string = env.trustProxy): string | undefined {
  if (trustProxy === "none") return undefined;
  // Vercel's edge overwrites both with what it saw; x-vercel-forwarded-for survives a proxy in front of Vercel.
  if (trustProxy === "vercel") return firstEntry(headers.get("x-vercel-forwarded-for") ?? headers.get("x-real-ip"));
  if (trustProxy === "cloudflare") return firstEntry(headers.get("cf-connecting-ip"));
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const hopCount = Number(trustProxy);
  return hops.length >= hopCount ? hops[hops.length - hopCount] : undefined;
}

function firstEntry(value: string | null): string | undefined {
  return value?.split(",")[0]?.trim() || undefined;
}

/** The form an email takes as a rate-limit key: the same address in any case counts once. */
export function emailKey(email: string): string {
  return `email:${email.trim().toLowerCase()}`;
}
