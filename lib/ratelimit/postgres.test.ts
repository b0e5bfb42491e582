import { randomUUID } from "node:crypto";
import net from "node:net";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/core/logger";
import { closeDatabase, createPostgresDatabase, db, migrationsFolder, schema, type Database } from "@/lib/db";
import { postgresServerReachable, postgresServerUrl } from "@/tests/support/postgres-server";
import { withDatabase } from "@/tests/support/postgres-url";
import { createRateLimiter, deleteEndedRateLimitWindows, limitAll, rateLimitHeaders, type RateLimiter } from ".";

const reachable = await postgresServerReachable("the PostgreSQL rate limiter");

/**
 * A migrated PostgreSQL database: this file's clone when the suite runs on Postgres, else a
 * fresh one on the local server (the embedded database is one process: it proves nothing here).
 */
async function migratedDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, drop: async () => {} };
  const name = `ratelimit_${randomUUID().replaceAll("-", "")}`;
  const admin = postgres(postgresServerUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(postgresServerUrl, name);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  await migrate(drizzle({ client }), { migrationsFolder }).finally(() => client.end());
  return {
    url,
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

describe.skipIf(!reachable)("without Upstash, with DATABASE_URL: counted in PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof migratedDatabase>>;
  const pools: ReturnType<typeof createPostgresDatabase>[] = [];
  /** One server instance's pool of connections to the shared database. */
  const instance = (max = 5): Database => {
    const pool = createPostgresDatabase(database.url, { max });
    pools.push(pool);
    return pool.db;
  };
  const limiterOn = (db: Database, name: string, limit = 10, windowSeconds = 60) =>
    createRateLimiter({ name, limit, windowSeconds, postgres: db });

  beforeAll(async () => {
    database = await migratedDatabase();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
    await database?.drop();
  });

  it("lets exactly 10 of 50 concurrent requests through, half of them sent by each of two instances", async () => {
    const name = `contact-${randomUUID()}`;
    const [instanceA, instanceB] = [limiterOn(instance(), name), limiterOn(instance(), name)];

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? instanceA : instanceB).limit("sender:ann@example.test")),
    );

    expect(instanceA.backend).toBe("postgres");
    const allowed = results.filter((result) => result.success);
    expect(allowed).toHaveLength(10);
    // Each allowed request saw its own count: the upsert counted them one after another.
    expect(allowed.map((result) => result.remaining).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results.filter((result) => !result.success).every((result) => result.remaining === 0)).toBe(true);
  });

  it("shares one count between instances: what one allowed, the other counts", async () => {
    const name = `auth-${randomUUID()}`;
    const [instanceA, instanceB] = [limiterOn(instance(), name), limiterOn(instance(), name)];

    const fromA = await Promise.all(Array.from({ length: 6 }, () => instanceA.limit("email:ann@example.test")));
    const fromB = await Promise.all(Array.from({ length: 6 }, () => instanceB.limit("email:ann@example.test")));

    expect(fromA.every((result) => result.success)).toBe(true);
    expect(fromB.filter((result) => result.success)).toHaveLength(4);
    // Another key, and the same key under another limit's name, have counts of their own.
    expect((await instanceB.limit("email:bob@example.test")).success).toBe(true);
    expect((await limiterOn(instance(), `other-${randomUUID()}`).limit("email:ann@example.test")).success).toBe(true);
  });

  it("answers a refusal with when to retry, and starts a new window once the database's clock passes its end", async () => {
    const db = instance();
    const name = `ai-draft-${randomUUID()}`;
    const limiter = limiterOn(db, name, 2, 30);
    const before = Date.now();

    await limiter.limit("user:u1");
    const allowed = await limiter.limit("user:u1");
    const refused = await limiter.limit("user:u1");

    expect(allowed).toMatchObject({ success: true, remaining: 0 });
    expect(refused).toMatchObject({ success: false, limit: 2, remaining: 0 });
    // The window ends 30 s after the first request, by the database's clock (a second of skew allowed).
    expect(refused.reset).toBeGreaterThan(before + 29_000);
    expect(refused.reset).toBeLessThan(Date.now() + 31_000);
    const retryAfter = Number(rateLimitHeaders(refused)["Retry-After"]);
    expect(retryAfter >= 29 && retryAfter <= 31).toBe(true);

    // The window ends: the next request opens a new one instead of counting on.
    await db.update(schema.rateLimits).set({ expiresAt: sql`now() - interval '1 second'` });
    expect(await limiter.limit("user:u1")).toMatchObject({ success: true, remaining: 1 });
  });

  it("keeps no address or user id in the table, only a hash of the limit and the key", async () => {
    const db = instance();
    const name = `contact-${randomUUID()}`;
    await limiterOn(db, name).limit("email:carol@example.test");

    const keys = (await db.select({ key: schema.rateLimits.key }).from(schema.rateLimits)).map((row) => row.key);

    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => /^[0-9a-f]{32}$/.test(key))).toBe(true);
  });

  it("counts in an unlogged table: no write-ahead log for counts that matter for a minute", async () => {
    const db = instance(1);
    const rows = (await db.execute(
      sql`select relpersistence from pg_class where relname = 'rate_limits' and relkind = 'r'`,
    )) as unknown as { relpersistence: string }[];

    expect(rows).toEqual([{ relpersistence: "u" }]);
  });

  it("applies several limits in one check, each counted in the database (limitAll)", async () => {
    const db = instance();
    const perSender = limiterOn(db, `s-${randomUUID()}`, 3);
    const ceiling = limiterOn(db, `g-${randomUUID()}`, 4);
    const send = (sender: string) =>
      limitAll([
        [perSender, sender],
        [ceiling, "all"],
      ]);

    expect(await send("a")).toMatchObject({ success: true, remaining: 2 });
    expect(await send("a")).toMatchObject({ success: true, remaining: 1 });
    expect(await send("b")).toMatchObject({ success: true, remaining: 1 });
    expect(await send("c")).toMatchObject({ success: true, remaining: 0 });
    expect(await send("d")).toMatchObject({ success: false, remaining: 0 });
  });

  it("deletes windows that have ended, and only those", async () => {
    const db = instance();
    await db.delete(schema.rateLimits);
    const ended = Array.from({ length: 2_500 }, (_, i) => ({
      key: `ended-${i}`,
      points: 1,
      expiresAt: new Date(Date.now() - 60_000),
    }));
    for (let i = 0; i < ended.length; i += 500) await db.insert(schema.rateLimits).values(ended.slice(i, i + 500));
    await limiterOn(db, `live-${randomUUID()}`).limit("user:u2");

    expect(await deleteEndedRateLimitWindows(db, { batch: 1_000 })).toBe(2_500);
    expect(await db.select().from(schema.rateLimits)).toHaveLength(1);
  });

  it("lets the request through, and logs it, when the database refuses the check (fail open)", async () => {
    // A database without the table, as before `npm run db:migrate`: every check fails.
    const admin = postgres(postgresServerUrl, { max: 1, onnotice: () => {} });
    const name = `unmigrated_${randomUUID().replaceAll("-", "")}`;
    await admin.unsafe(`create database ${name}`);
    const pool = createPostgresDatabase(withDatabase(postgresServerUrl, name), { max: 1 });
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => {});
    try {
      const limiter = createRateLimiter({ name: "test-refused", limit: 1, windowSeconds: 10, postgres: pool.db });
      const results = await Promise.all([limiter.limit("203.0.113.8"), limiter.limit("203.0.113.8")]);

      expect(results.map((result) => result.success)).toEqual([true, true]);
      expect(results[0]).toMatchObject({ reason: "timeout" });
      expect(rateLimitHeaders(results[0]!)).toEqual({});
      expect(warn.mock.calls.some(([, message]) => message === "rate limit check failed: request allowed")).toBe(true);
    } finally {
      await pool.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

describe("on the app's database, closed and opened again", () => {
  it("still counts: the statement built for the old connection is not reused", async () => {
    // The embedded database migrates itself when it is opened (seconds on a busy machine): wait for it, not for 1 s.
    const limiter = createRateLimiter({
      name: `reopen-${randomUUID()}`,
      limit: 10,
      windowSeconds: 60,
      postgres: db,
      timeoutMs: 60_000,
    });
    expect(await limiter.limit("user:u3")).toMatchObject({ success: true, remaining: 9 });

    await closeDatabase();
    const after = await limiter.limit("user:u3");

    // Counted (on Postgres the same row, on the embedded database a fresh one), not let through unchecked.
    expect(after.reason).toBeUndefined();
    expect(after.remaining).toBe(process.env.DATABASE_URL ? 8 : 9);
    // Reopening the embedded database migrates it again: a minute on a busy machine, not the usual 20 s.
  }, 60_000);
});

describe("when PostgreSQL does not answer in time", () => {
  it("lets the request through after the timeout instead of holding it", async () => {
    // Accepts the connection and never says a word, like a server that hangs.
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const pool = createPostgresDatabase(`postgres://postgres@127.0.0.1:${port}/none`, { max: 1 });
    try {
      const limiter: RateLimiter = createRateLimiter({
        name: "test-silent",
        limit: 1,
        windowSeconds: 10,
        postgres: pool.db,
        timeoutMs: 150,
      });
      const started = Date.now();

      const result = await limiter.limit("203.0.113.9");

      expect(result).toMatchObject({ success: true, reason: "timeout" });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      silent.close();
      void pool.close();
    }
  });
});
