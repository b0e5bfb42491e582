import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "@upstash/redis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { redisReachable, startUpstashBridge, type UpstashBridge } from "@/tests/support/upstash-bridge";
import { clientIp } from "@/lib/http";
import { createRateLimiter, limitAll, rateLimitHeaders, type RateLimiter } from ".";

const redis = await redisReachable();
// Skipped only on a machine without Redis; CI always has one, so there they run (and fail loudly if it is down).
const withRedis = redis.reachable || Boolean(process.env.CI);
if (!withRedis) console.log(`[tests] Redis unreachable (${redis.detail}): skipping the @upstash/ratelimit tests`);

const fiftyAtOnce = (limiter: RateLimiter, identifier: string) =>
  Promise.all(Array.from({ length: 50 }, () => limiter.limit(identifier)));

// The sliding window counts part of the previous window: a burst that straddles a window edge may let one more through.
async function awayFromWindowEdge(windowSeconds: number, marginMs = 1500) {
  const windowMs = windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.resetModules();
  vi.restoreAllMocks();
});

describe("with Upstash: the real @upstash/ratelimit against a real Redis", () => {
  let bridge: UpstashBridge;
  const upstashClient = () => new Redis({ url: bridge.url, token: bridge.token });

  beforeAll(async () => {
    if (withRedis) bridge = await startUpstashBridge({ token: randomUUID() });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it.skipIf(!withRedis)("lets exactly 10 of 50 concurrent requests from one client through", async () => {
    const limiter = createRateLimiter({
      name: `test-${randomUUID()}`,
      limit: 10,
      windowSeconds: 60,
      redis: upstashClient(),
    });
    await awayFromWindowEdge(60);

    const results = await fiftyAtOnce(limiter, "203.0.113.7");

    expect(limiter.backend).toBe("upstash");
    expect(results.filter((r) => r.success)).toHaveLength(10);
    expect(results.filter((r) => !r.success).every((r) => r.remaining === 0)).toBe(true);
    expect((await limiter.limit("198.51.100.1")).success).toBe(true);
  });

  it.skipIf(!withRedis)("shares one count between server instances", async () => {
    const name = `test-${randomUUID()}`;
    const instanceA = createRateLimiter({ name, limit: 10, windowSeconds: 60, redis: upstashClient() });
    const instanceB = createRateLimiter({ name, limit: 10, windowSeconds: 60, redis: upstashClient() });
    await awayFromWindowEdge(60);

    const fromA = await Promise.all(Array.from({ length: 6 }, () => instanceA.limit("203.0.113.7")));
    const fromB = await Promise.all(Array.from({ length: 6 }, () => instanceB.limit("203.0.113.7")));

    expect(fromA.every((r) => r.success)).toBe(true);
    expect(fromB.filter((r) => r.success)).toHaveLength(4);
  });

  it.skipIf(!withRedis)("answers a refused request with Retry-After and RateLimit-* headers", async () => {
    const limiter = createRateLimiter({
      name: `test-${randomUUID()}`,
      limit: 2,
      windowSeconds: 30,
      redis: upstashClient(),
    });
    await awayFromWindowEdge(30);
    const client = randomUUID();
    await limiter.limit(client);
    const allowed = await limiter.limit(client);
    const refused = await limiter.limit(client);

    expect(allowed.success).toBe(true);
    expect(rateLimitHeaders(allowed)).toMatchObject({ "RateLimit-Limit": "2", "RateLimit-Remaining": "0" });
    expect(rateLimitHeaders(allowed)).not.toHaveProperty("Retry-After");
    expect(refused.success).toBe(false);
    const headers = rateLimitHeaders(refused);
    expect(headers).toMatchObject({ "RateLimit-Limit": "2", "RateLimit-Remaining": "0" });
    const retryAfter = Number(headers["Retry-After"]);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 30).toBe(true);
    expect(headers["RateLimit-Reset"]).toBe(String(retryAfter));
  });

  it.skipIf(!withRedis)("is what limiters.contact uses when UPSTASH_REDIS_REST_* are set", async () => {
    vi.stubEnv("UPSTASH_REDIS_REST_URL", bridge.url);
    vi.stubEnv("UPSTASH_REDIS_REST_TOKEN", bridge.token);
    vi.stubEnv("CONTACT_RATE_LIMIT", "10");
    vi.stubEnv("CONTACT_RATE_WINDOW_SECONDS", "10");
    // lib/ratelimit/limiters.ts builds `limiters` from env at import: import it again under these variables.
    vi.resetModules();
    const { limiters } = await import("@/lib/ratelimit");
    // Another instance of the same rule, talking to the same Redis: it sees the count limiters.contact left there.
    const otherInstance = createRateLimiter({ name: "contact", limit: 10, windowSeconds: 10, redis: upstashClient() });
    const client = randomUUID();
    await awayFromWindowEdge(10);

    const results = await fiftyAtOnce(limiters.contact, client);

    expect(limiters.contact.backend).toBe("upstash");
    expect(results.filter((r) => r.success)).toHaveLength(10);
    expect((await otherInstance.limit(client)).success).toBe(false);
  });
});

describe("when Redis does not answer in time", () => {
  it("lets the request through and reports no limit", async () => {
    const silent = http.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const limiter = createRateLimiter({
        name: "test-timeout",
        limit: 1,
        windowSeconds: 10,
        redis: new Redis({ url, token: "t", retry: false }),
        timeoutMs: 100,
      });

      const result = await limiter.limit("203.0.113.7");

      expect(result).toMatchObject({ success: true, reason: "timeout" });
      expect(rateLimitHeaders(result)).toEqual({});
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe("when Redis answers with an error", () => {
  it("lets the request through instead of failing it", async () => {
    // An Upstash endpoint that refuses the token, as after a rotated or mistyped UPSTASH_REDIS_REST_TOKEN.
    const refusing = http.createServer((_, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "WRONGPASS invalid or missing auth token" }));
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    try {
      const limiter = createRateLimiter({
        name: "test-error",
        limit: 1,
        windowSeconds: 10,
        redis: new Redis({ url, token: "wrong", retry: false }),
      });
      const results = await Promise.all([limiter.limit("203.0.113.8"), limiter.limit("203.0.113.8")]);
      expect(results.map((result) => result.success)).toEqual([true, true]);
      expect(rateLimitHeaders(results[0]!)).toEqual({});
    } finally {
      refusing.close();
    }
  });
});

describe("without Upstash: counted in this process", () => {
  const windowStart = Date.UTC(2030, 0, 1, 12, 0, 0);

  it("refuses the 11th request in 10 s, not another client's, and allows again once the window has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(windowStart);
    const limiter = createRateLimiter({ name: `contact-${randomUUID()}`, limit: 10, windowSeconds: 10 });

    const first10 = [];
    for (let i = 0; i < 10; i++) first10.push(await limiter.limit("sender:ann@example.test"));
    const eleventh = await limiter.limit("sender:ann@example.test");

    expect(limiter.backend).toBe("memory");
    expect(first10.map((r) => r.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(eleventh).toMatchObject({ success: false, remaining: 0, reset: windowStart + 10_000 });
    expect(rateLimitHeaders(eleventh, windowStart + 2_500)).toEqual({
      "RateLimit-Limit": "10",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "8",
      "Retry-After": "8",
    });
    expect((await limiter.limit("sender:bob@example.test")).success).toBe(true);

    vi.setSystemTime(windowStart + 10_001);
    expect((await limiter.limit("sender:ann@example.test")).success).toBe(true);
  });

  it("lets exactly 10 of 50 concurrent requests through", async () => {
    const limiter = createRateLimiter({ name: `contact-${randomUUID()}`, limit: 10, windowSeconds: 10 });

    const results = await fiftyAtOnce(limiter, "203.0.113.7");

    expect(results.filter((r) => r.success)).toHaveLength(10);
  });

  it("is what limiters.* use on the embedded database, and warns once in production that the limits are per process", async () => {
    // Not a Vercel or Render deployment, so lib/core/env.ts does not require DATABASE_URL here.
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("BETTER_AUTH_SECRET", "x".repeat(40));
    for (const name of ["DATABASE_URL", "UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN", "VERCEL", "RENDER"])
      vi.stubEnv(name, "");
    // lib/ratelimit/rules.ts picks the store from env at import: import it again under these variables.
    vi.resetModules();
    const { limiters } = await import("@/lib/ratelimit");
    const { logger } = await import("@/lib/core/logger");
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => {});

    await limiters.contact.limit(randomUUID());
    await limiters.auth.limit(randomUUID());
    await limiters.contact.limit(randomUUID());

    expect(limiters.contact.backend).toBe("memory");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/per process/);
  });
});

describe("which store limiters.* count in", () => {
  it("PostgreSQL whenever DATABASE_URL is set and Upstash is not, for every limit", async () => {
    vi.stubEnv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/any");
    vi.stubEnv("UPSTASH_REDIS_REST_URL", "");
    vi.stubEnv("UPSTASH_REDIS_REST_TOKEN", "");
    vi.resetModules();
    const { limiters } = await import("@/lib/ratelimit");

    expect(Object.values(limiters).map((limiter) => limiter.backend)).toEqual(
      Object.keys(limiters).map(() => "postgres"),
    );
  });

  it("Upstash when it is configured, DATABASE_URL or not", async () => {
    vi.stubEnv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/any");
    vi.stubEnv("UPSTASH_REDIS_REST_URL", "http://127.0.0.1:1");
    vi.stubEnv("UPSTASH_REDIS_REST_TOKEN", "token");
    vi.resetModules();
    const { limiters } = await import("@/lib/ratelimit");

    expect(Object.values(limiters).map((limiter) => limiter.backend)).toEqual(
      Object.keys(limiters).map(() => "upstash"),
    );
  });
});

describe("limitAll", () => {
  it("counts the request in every limit and answers with the refusal when any refuses", async () => {
    const perSender = createRateLimiter({ name: `s-${randomUUID()}`, limit: 3, windowSeconds: 60 });
    const ceiling = createRateLimiter({ name: `g-${randomUUID()}`, limit: 4, windowSeconds: 60 });
    const send = (sender: string) =>
      limitAll([
        [perSender, sender],
        [ceiling, "all"],
      ]);

    const [first, second] = [await send("a"), await send("a")];
    expect(first).toMatchObject({ success: true, remaining: 2 });
    expect(second).toMatchObject({ success: true, remaining: 1 });
    expect(await send("b")).toMatchObject({ success: true, remaining: 1 });
    expect(await send("c")).toMatchObject({ success: true, remaining: 0 });
    // Sender "d" has never sent, but the ceiling is reached.
    expect(await send("d")).toMatchObject({ success: false, remaining: 0 });
  });
});

describe("clientIp, as TRUST_PROXY says", () => {
  const forwarded = (value: string, more: Record<string, string> = {}) =>
    new Headers({ "x-forwarded-for": value, "x-real-ip": "6.6.6.7", ...more });

  it("believes no header with none (the default off Vercel): a client can send any of them", () => {
    expect(clientIp(forwarded("6.6.6.6, 203.0.113.7"), "none")).toBeUndefined();
    expect(clientIp(new Headers({ "cf-connecting-ip": "6.6.6.6" }), "none")).toBeUndefined();
    expect(clientIp(forwarded("203.0.113.7"))).toBeUndefined();
  });

  it("with a hop count, takes the entry our own outermost proxy appended, counted from the right", () => {
    expect(clientIp(forwarded("6.6.6.6, 203.0.113.7"), "1")).toBe("203.0.113.7");
    expect(clientIp(forwarded("6.6.6.6,1.2.3.4 , 203.0.113.7 "), "1")).toBe("203.0.113.7");
    expect(clientIp(forwarded("6.6.6.6, 203.0.113.7, 104.16.0.1"), "2")).toBe("203.0.113.7");
    // Fewer entries than our proxies would have added: the request did not come through them.
    expect(clientIp(forwarded("203.0.113.7"), "2")).toBeUndefined();
    expect(clientIp(new Headers(), "1")).toBeUndefined();
  });

  it("on Vercel, believes only the headers Vercel's edge sets", () => {
    expect(clientIp(forwarded("6.6.6.6, 10.0.0.1", { "x-real-ip": "203.0.113.7" }), "vercel")).toBe("203.0.113.7");
    expect(
      clientIp(
        forwarded("10.0.0.1", { "x-vercel-forwarded-for": "198.51.100.4", "x-real-ip": "203.0.113.7" }),
        "vercel",
      ),
    ).toBe("198.51.100.4");
  });

  it("behind Cloudflare, believes CF-Connecting-IP only", () => {
    expect(clientIp(forwarded("6.6.6.6", { "cf-connecting-ip": "203.0.113.8" }), "cloudflare")).toBe("203.0.113.8");
    expect(clientIp(forwarded("6.6.6.6"), "cloudflare")).toBeUndefined();
  });
});
