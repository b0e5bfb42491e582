import "server-only";
import { createHash } from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { inArray, lt, sql } from "drizzle-orm";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/lib/core/env";
import { logger } from "@/lib/core/logger";
import { withTimeout } from "@/lib/core/timing";
import { schema, type Executor } from "@/lib/db";

/**
 * Rate limits, keyed on what a client cannot forge (an account's email, a
 * sender's address, a global ceiling, the client IP only as TRUST_PROXY says).
 * With UPSTASH_REDIS_REST_URL/TOKEN the counts live in Redis (@upstash/ratelimit);
 * otherwise, with DATABASE_URL, in PostgreSQL (`postgresLimiter`): either way every
 * instance shares them. Only on the embedded database does rate-limiter-flexible
 * count in this process's memory.
 *
 * This file is the mechanism (a limiter over any backend, `limitAll`); `rules.ts` holds the
 * app's limits, `enforce.ts` the one way a caller applies them.
 */

export type RateLimitResult = {
  success: boolean;
  limit: number;
  remaining: number;
  /** When the client may try again, in ms since the epoch. */
  reset: number;
  /** Background work (Upstash analytics, multi-region sync): hand it to `after()`. */
  pending: Promise<unknown>;
  /** "timeout": the store (Redis, PostgreSQL) did not answer in time, or failed, and the request was allowed. */
  reason?: "timeout" | "cacheBlock" | "denyList";
};

export type RateLimiter = {
  name: string;
  backend: "upstash" | "postgres" | "memory";
  limit(identifier: string): Promise<RateLimitResult>;
};

export type RateLimiterOptions = {
  name: string;
  limit: number;
  windowSeconds: number;
  /** An Upstash client: the counts live in Redis. */
  redis?: Redis;
  /** Without `redis`, a PostgreSQL database: the counts live in its `rate_limits` table. */
  postgres?: Executor;
  /** How long to wait for Redis or PostgreSQL before letting the request through (fail open). */
  timeoutMs?: number;
};

/** A limiter on the first store given: Redis, else PostgreSQL, else this process's memory. */
export function createRateLimiter({
  name,
  limit,
  windowSeconds,
  redis,
  postgres,
  timeoutMs = 1000,
}: RateLimiterOptions): RateLimiter {
  if (redis) return upstashLimiter(name, limit, windowSeconds, redis, timeoutMs);
  if (postgres) return postgresLimiter(name, limit, windowSeconds, postgres, timeoutMs);
  return memoryLimiter(name, limit, windowSeconds);
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

const { rateLimits } = schema;
/** Ended windows are deleted at most this often per process (`cleanUpEndedWindows`). */
const CLEANUP_EVERY_MS = 60_000;
/** Rows deleted per statement, and statements per cleanup: enough for a flood of distinct keys, never one long lock. */
const CLEANUP_BATCH = 1_000;
const CLEANUP_BATCHES = 10;
/** A database that fails every check logs one line per limiter this often, not one per request. */
const FAILURE_LOG_EVERY_MS = 60_000;

/**
 * Counts in PostgreSQL, so every instance on the database enforces one limit: a fixed window per
 * key, kept in one row of `rate_limits` and counted by one atomic upsert (the row lock makes
 * concurrent requests on any instance count one after another). The window starts and ends by the
 * database's clock, so instances whose clocks differ still agree. Keys are hashed: the table
 * never holds an address or a user id.
 *
 * Like the Upstash backend it fails open: a check the database does not answer within
 * `timeoutMs`, or answers with an error, lets the request through (logged), because a limiter
 * outage must not take the site down. The request's own database work then fails on its own.
 */
function postgresLimiter(
  name: string,
  limit: number,
  windowSeconds: number,
  db: Executor,
  timeoutMs: number,
): RateLimiter {
  let lastFailureLog = 0;
  const count = async (key: string) => {
    const [row] = await countStatement(db).execute({ key, seconds: windowSeconds });
    return row!;
  };
  return {
    name,
    backend: "postgres",
    async limit(identifier): Promise<RateLimitResult> {
      const pending = cleanUpEndedWindows(db);
      try {
        const { points, expiresAt } = await withTimeout(count(rateLimitKey(name, identifier)), timeoutMs);
        return {
          success: points <= limit,
          limit,
          remaining: Math.max(0, limit - points),
          reset: expiresAt.getTime(),
          pending,
        };
      } catch (error) {
        if (Date.now() - lastFailureLog > FAILURE_LOG_EVERY_MS) {
          lastFailureLog = Date.now();
          logger.warn({ err: error, limiter: name }, "rate limit check failed: request allowed");
        }
        return { success: true, limit, remaining: limit, reset: Date.now(), pending, reason: "timeout" };
      }
    },
  };
}

/** One upsert counts a request: a window that has ended starts again at 1 (both expressions read the row as it was). */
function buildCountStatement(db: Executor) {
  return db
    .insert(rateLimits)
    .values({
      key: sql.placeholder("key"),
      points: 1,
      expiresAt: sql`now() + make_interval(secs => ${sql.placeholder("seconds")})`,
    })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        points: sql`case when ${rateLimits.expiresAt} <= now() then 1 else ${rateLimits.points} + 1 end`,
        expiresAt: sql`case when ${rateLimits.expiresAt} <= now() then excluded.expires_at else ${rateLimits.expiresAt} end`,
      },
    })
    .returning({ points: rateLimits.points, expiresAt: rateLimits.expiresAt })
    .prepare("rate_limit_count");
}

// Drizzle builds the statement's text once per database client instead of on every check (half the
// limiter's CPU). Keyed by the client, so a database closed and opened again gets a statement of its own.
const countStatements = new WeakMap<object, ReturnType<typeof buildCountStatement>>();
function countStatement(db: Executor) {
  const client = (db as { $client?: object }).$client ?? db;
  let statement = countStatements.get(client);
  if (!statement) countStatements.set(client, (statement = buildCountStatement(db)));
  return statement;
}

/** The row's key: the limit's name and the identifier, hashed (16 bytes of SHA-256, hex). */
function rateLimitKey(name: string, identifier: string): string {
  return createHash("sha256").update(`${name}\0${identifier}`).digest("hex").slice(0, 32);
}

// One cleanup per process, whichever limiter is checked: every limiter shares the table.
const shared = globalThis as unknown as { __rateLimitCleanupAt?: number };

/**
 * Each key keeps its row while it is used, so only keys that stopped coming back (a flood of
 * made-up addresses) need deleting: at most once a minute per process, beside the request, as the
 * result's `pending` (which enforceLimits hands to after(), so a serverless function waits for it).
 */
function cleanUpEndedWindows(db: Executor): Promise<unknown> {
  const now = Date.now();
  if (now - (shared.__rateLimitCleanupAt ?? 0) < CLEANUP_EVERY_MS) return Promise.resolve();
  shared.__rateLimitCleanupAt = now;
  return deleteEndedRateLimitWindows(db).catch((error: unknown) =>
    logger.warn({ err: error }, "could not delete ended rate-limit windows"),
  );
}

/** Deletes windows that have ended, `batch` rows per statement, at most `batches` statements; answers how many. */
export async function deleteEndedRateLimitWindows(
  db: Executor,
  { batch = CLEANUP_BATCH, batches = CLEANUP_BATCHES } = {},
): Promise<number> {
  let total = 0;
  for (let round = 0; round < batches; round++) {
    const ended = db
      .select({ key: rateLimits.key })
      .from(rateLimits)
      .where(lt(rateLimits.expiresAt, sql`now()`))
      .limit(batch)
      // Another instance cleaning at the same moment takes other rows instead of waiting on these.
      .for("update", { skipLocked: true });
    const deleted = await db
      .delete(rateLimits)
      .where(inArray(rateLimits.key, ended))
      .returning({ key: rateLimits.key });
    total += deleted.length;
    if (deleted.length < batch) break;
  }
  return total;
}

let warnedPerProcess = false;

function warnOnceInProduction() {
  if (!env.isProduction || warnedPerProcess) return;
  warnedPerProcess = true;
  logger.warn(
    "Rate limits are per process (no DATABASE_URL or UPSTASH_REDIS_REST_URL): each server instance counts on its own, " +
      "so the effective limit grows with the number of instances. " +
      "Set DATABASE_URL, or UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN.",
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
