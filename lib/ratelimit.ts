import "server-only";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

/**
 * Rate limits for public endpoints. With UPSTASH_REDIS_REST_URL/TOKEN the counts
 * live in Upstash Redis (@upstash/ratelimit, sliding window), shared by every
 * instance; without them an in-process sliding window applies the same rules.
 *
 *   const result = await limiters.contact.limit(clientIp(req.headers));
 *   runAfterResponse(async () => { await result.pending; }); // never await it in the request
 *   if (!result.success) return Response.json({ error: "Too many requests" }, { status: 429, headers: rateLimitHeaders(result) });
 */

export type RateLimitResult = {
  success: boolean;
  limit: number;
  remaining: number;
  /** When the current window ends, in ms since the epoch. */
  reset: number;
  /** Background work (Upstash analytics, multi-region sync): hand it to `after()`. */
  pending: Promise<unknown>;
  /** "timeout": Redis did not answer in time and the request was allowed; "cacheBlock": refused from memory, without Redis. */
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

export function createRateLimiter({
  name,
  limit,
  windowSeconds,
  redis,
  timeoutMs = 1000,
}: RateLimiterOptions): RateLimiter {
  if (!redis) {
    const window = new InProcessSlidingWindow(limit, windowSeconds * 1000);
    return {
      name,
      backend: "memory",
      async limit(identifier) {
        warnOnceInProduction();
        return window.take(identifier);
      },
    };
  }
  const ratelimit = new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(limit, `${windowSeconds} s`),
    prefix: `ratelimit:${name}`,
    // Lives as long as this limiter (module scope): while warm, identifiers already over the limit are refused without a Redis call.
    ephemeralCache: new Map<string, number>(),
    // On timeout @upstash/ratelimit allows the request (reason "timeout"): an outage of Redis must not take the site down.
    timeout: timeoutMs,
    analytics: false,
  });
  return {
    name,
    backend: "upstash",
    async limit(identifier) {
      try {
        const { success, limit: max, remaining, reset, pending, reason } = await ratelimit.limit(identifier);
        return { success, limit: max, remaining, reset, pending, reason };
      } catch (error) {
        // Redis answered with an error (wrong token, quota, network): fail open, like a timeout.
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
}

/**
 * The sliding-window approximation @upstash/ratelimit runs in Redis, in memory:
 * requests in the current fixed window plus the previous window's count weighted
 * by how much of it still overlaps the sliding window.
 */
export class InProcessSlidingWindow {
  private readonly counters = new Map<string, { window: number; count: number; previous: number }>();
  private sweptWindow = -1;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Identifiers tracked right now: only those seen in the current or previous window. */
  get size(): number {
    return this.counters.size;
  }

  take(identifier: string, now = Date.now()): RateLimitResult {
    const window = Math.floor(now / this.windowMs);
    this.forgetExpired(window);
    const counter = this.counterFor(identifier, window);
    const weightedPrevious = Math.floor((1 - (now % this.windowMs) / this.windowMs) * counter.previous);
    const reset = (window + 1) * this.windowMs;
    const pending = Promise.resolve();
    if (weightedPrevious + counter.count >= this.limit) {
      return { success: false, limit: this.limit, remaining: 0, reset, pending };
    }
    counter.count += 1;
    return {
      success: true,
      limit: this.limit,
      remaining: this.limit - (counter.count + weightedPrevious),
      reset,
      pending,
    };
  }

  private counterFor(identifier: string, window: number) {
    const stored = this.counters.get(identifier);
    if (stored?.window === window) return stored;
    // A counter from the previous window becomes this window's "previous"; anything older counts for nothing.
    const counter = { window, count: 0, previous: stored?.window === window - 1 ? stored.count : 0 };
    this.counters.set(identifier, counter);
    return counter;
  }

  // Once per window: counters older than the previous window no longer affect any result, so memory stays bounded.
  private forgetExpired(window: number) {
    if (window === this.sweptWindow) return;
    this.sweptWindow = window;
    for (const [identifier, counter] of this.counters) {
      if (counter.window < window - 1) this.counters.delete(identifier);
    }
  }
}

let warnedPerProcess = false;

function warnOnceInProduction() {
  if (!env.isProduction || warnedPerProcess) return;
  warnedPerProcess = true;
  logger.warn(
    "Rate limits are per process (UPSTASH_REDIS_REST_URL unset): each server instance counts on its own, so the effective limit grows with the number of instances. Set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN.",
  );
}

// Equivalent of Redis.fromEnv(), from the validated env (lib/env.ts requires URL and token together).
const upstash =
  env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
    ? new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN })
    : undefined;

function createLimiters() {
  return {
    /** POST /api/contact, per client IP. */
    contact: createRateLimiter({
      name: "contact",
      limit: env.contactRateLimit,
      windowSeconds: env.contactRateWindowSeconds,
      redis: upstash,
    }),
    /** Sign-in, sign-up and magic-link requests, per client IP. */
    auth: createRateLimiter({ name: "auth", limit: env.authRateLimit, windowSeconds: 60, redis: upstash }),
    /** POST /api/ai/draft-recipe, per signed-in user: a burst ceiling under the plan's daily quota. */
    aiDraft: createRateLimiter({ name: "ai-draft", limit: env.aiBurstLimit, windowSeconds: 60, redis: upstash }),
  } satisfies Record<string, RateLimiter>;
}

// Next loads this module once for Route Handlers and once for Server Actions; both must count
// in the same windows (the auth limit applies on both paths), so the instances live on globalThis,
// keyed by their configuration.
const shared = globalThis as unknown as { __rateLimiters?: Map<string, ReturnType<typeof createLimiters>> };
const configuration = JSON.stringify([
  env.NODE_ENV,
  env.UPSTASH_REDIS_REST_URL,
  env.contactRateLimit,
  env.contactRateWindowSeconds,
  env.authRateLimit,
  env.aiBurstLimit,
]);
shared.__rateLimiters ??= new Map();
if (!shared.__rateLimiters.has(configuration)) shared.__rateLimiters.set(configuration, createLimiters());

/** One instance per rule per process, so the ephemeral cache and in-process windows survive between requests. */
export const limiters = shared.__rateLimiters.get(configuration)!;

export type RateLimiterName = keyof typeof limiters;

/**
 * Headers for a response to a rate-limited endpoint, on 200 and on 429, as in
 * the IETF draft "RateLimit header fields for HTTP" (the separate RateLimit-Limit /
 * -Remaining / -Reset form of its earlier revisions), plus Retry-After when refused.
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
  // `reset` is the end of the current window (as Upstash reports it); the sliding window may still refuse briefly after it.
  if (!result.success) headers["Retry-After"] = String(Math.max(1, secondsToReset));
  return headers;
}

/**
 * The client's IP, from the header the platform's own proxy sets. The left-most
 * X-Forwarded-For entry is whatever the client sent, so it is never trusted.
 * `trustedProxies`: how many proxies we run behind that each append to
 * X-Forwarded-For (1 for a single load balancer, e.g. Render's).
 */
export function clientIp(headers: Headers, { trustedProxies = 1 }: { trustedProxies?: number } = {}): string {
  if (env.VERCEL === "1") {
    // Vercel's edge sets both and overwrites any value the client sent; x-vercel-forwarded-for survives a proxy in front of Vercel.
    const vercel = firstEntry(headers.get("x-vercel-forwarded-for")) ?? firstEntry(headers.get("x-real-ip"));
    if (vercel) return vercel;
  }
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  // Each proxy appends the address it saw connect, so the entry our outermost proxy appended sits `trustedProxies` from the right.
  const appendedByOurProxy = hops[Math.max(0, hops.length - trustedProxies)];
  return appendedByOurProxy ?? firstEntry(headers.get("x-real-ip")) ?? "unknown";
}

function firstEntry(value: string | null): string | undefined {
  return value?.split(",")[0]?.trim() || undefined;
}
