import "server-only";
import { Redis } from "@upstash/redis";
import { env } from "@/lib/core/env";
import { db } from "@/lib/db";
import { createRateLimiter, type RateLimiter, type RateLimiterOptions } from "./limiter";

// Where every limit counts: Upstash when configured, else PostgreSQL whenever DATABASE_URL is set
// (so all instances share one count), else this process (the embedded database: one process anyway).
const store: Pick<RateLimiterOptions, "redis" | "postgres"> =
  env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
    ? { redis: new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN }) }
    : env.DATABASE_URL
      ? { postgres: db }
      : {};

// Next loads this module once for Route Handlers and once for Server Actions; both must count in
// the same in-memory windows, so each rule's instance lives on globalThis, keyed by its configuration.
const shared = globalThis as unknown as { __rateLimiters?: Map<string, RateLimiter> };
function sharedLimiter(options: Omit<RateLimiterOptions, "redis" | "postgres">): RateLimiter {
  const key = JSON.stringify([options, env.NODE_ENV, env.UPSTASH_REDIS_REST_URL ?? null, env.DATABASE_URL ?? null]);
  shared.__rateLimiters ??= new Map();
  if (!shared.__rateLimiters.has(key)) shared.__rateLimiters.set(key, createRateLimiter({ ...options, ...store }));
  return shared.__rateLimiters.get(key)!;
}

/** How long a proof-of-work challenge may be solved and used: a person may take a while to type their password. */
export const PROOF_OF_WORK_SECONDS = 600;

export const limiters = {
  /** POST /api/contact, per sender address (and per client IP when TRUST_PROXY names one). */
  contact: sharedLimiter({ name: "contact", limit: env.contactRateLimit, windowSeconds: env.contactRateWindowSeconds }),
  /** POST /api/contact, every sender together: varying the address never buys unlimited messages. */
  contactGlobal: sharedLimiter({ name: "contact-global", limit: env.contactGlobalRateLimit, windowSeconds: 60 }),
  /**
   * Sign-in, sign-up, magic-link and password-reset requests and every password check, per email address
   * (and per trusted client IP): what stops guessing one account's password and flooding one inbox.
   */
  auth: sharedLimiter({ name: "auth", limit: env.authRateLimit, windowSeconds: 60 }),
  /**
   * Password sign-ins, all accounts together: what bounds guessing spread over many accounts when no client
   * IP can be trusted. Past it a solved proof of work gets through (lib/ratelimit/ceiling.ts).
   */
  signInGlobal: sharedLimiter({ name: "sign-in-global", limit: env.authGlobalRateLimit, windowSeconds: 60 }),
  /**
   * Requests that send an account email (sign-up, magic link, reset, confirmation), all together: what bounds
   * the mail sent to addresses nobody confirmed. Its own ceiling, so a flood of these never locks out sign-in.
   */
  authEmailGlobal: sharedLimiter({
    name: "auth-email-global",
    limit: env.authEmailGlobalRateLimit,
    windowSeconds: 60,
  }),
  /** Each proof-of-work solution, once: a replayed one proves no new work (lib/ratelimit/challenge.ts). */
  proofOfWorkSpent: sharedLimiter({ name: "proof-of-work-spent", limit: 1, windowSeconds: PROOF_OF_WORK_SECONDS }),
  /** POST /api/ai/draft-recipe, per signed-in user: a burst ceiling under the plan's daily quota. */
  aiDraft: sharedLimiter({ name: "ai-draft", limit: env.aiBurstLimit, windowSeconds: 60 }),
};

/**
 * The public API's limits, per minute: per key, and for all of a team's keys together (more keys
 * never buy more requests). Looked up on each call, so a changed limit applies at once.
 */
export function apiLimiters() {
  return {
    key: sharedLimiter({ name: "api-key", limit: env.apiRateLimitPerKey, windowSeconds: 60 }),
    team: sharedLimiter({ name: "api-team", limit: env.apiRateLimitPerTeam, windowSeconds: 60 }),
  };
}

export type RateLimiterName = keyof typeof limiters;

/** The form an email takes as a rate-limit key: the same address in any case counts once. */
export function emailKey(email: string): string {
  return `email:${email.trim().toLowerCase()}`;
}
