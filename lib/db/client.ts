import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/core/env";
import { withTimeout } from "@/lib/core/timing";
import { listenOnPostgres, type NotificationHandlers } from "./listen";
import * as schema from "./schema";

export { schema };
import type { Connection, Database, Executor } from "./types";

export type { Connection, Database, Executor };

/**
 * Runs `work` once the surrounding transaction has committed: a job started
 * inside the transaction would not yet see the rows it wrote.
 */
export type AfterCommit = (work: () => Promise<unknown>) => void;

/**
 * `db.transaction`, with an `afterCommit(work)` that runs `work` once the transaction has committed
 * (never when it rolled back): jobs and announcements that must see the rows it wrote. A failing
 * `work` is the job runner's to log and retry; it never undoes the commit.
 *
 * Given the `tx` of an outer `transaction()` (the public API runs a write and its idempotency record
 * in one), this one is a savepoint in it, and its `afterCommit` work waits for the
 * outermost commit: a job never starts before the rows it needs are visible to other connections.
 */
export async function transaction<T>(
  db: Executor,
  work: (tx: Executor, afterCommit: AfterCommit) => Promise<T>,
): Promise<T> {
  const outer = outermostCommit.getStore();
  if (outer && db instanceof PgTransaction) return db.transaction((tx) => work(tx, outer));
  const afterwards: (() => Promise<unknown>)[] = [];
  const afterCommit: AfterCommit = (next) => void afterwards.push(next);
  const result = await outermostCommit.run(afterCommit, () => db.transaction((tx) => work(tx, afterCommit)));
  for (const next of afterwards) await next();
  return result;
}

/** The `afterCommit` of the outermost `transaction()` this code runs in, if any. */
const outermostCommit = new AsyncLocalStorage<AfterCommit>();

export { migrationsFolder } from "./migrations-folder";

/**
 * Postgres through postgres.js. Connections open lazily, on the first query.
 * `listenUrl` is where LISTEN connects: a transaction pooler (PgBouncer,
 * Neon's pooled URL) hands each statement to any backend, so it cannot LISTEN.
 */
export function createPostgresDatabase(
  url: string,
  options: postgres.Options<Record<string, never>> = {},
  listenUrl = url,
) {
  const client = postgres(url, {
    max: env.DATABASE_POOL_MAX ?? 10,
    connect_timeout: 5,
    idle_timeout: 20,
    onnotice: () => {},
    ...options,
  });
  const prepare = options.prepare ?? env.preparedStatements;
  return {
    db: drizzlePostgres({ client: prepare ? preparingStatements(client) : client, schema }) as unknown as Database,
    close: () => client.end({ timeout: 5 }),
    listen: (channel: string, handlers: NotificationHandlers) => listenOnPostgres(listenUrl, channel, handlers),
  };
}

/**
 * Drizzle sends every query through postgres.js's `unsafe`, which does not
 * prepare unless asked: each query was parsed and planned by Postgres every
 * time it ran. This view of the client asks (inside transactions and savepoints
 * too), so each connection prepares a statement the first time and afterwards
 * only binds and executes it. postgres.js keeps the statements per connection,
 * keyed by their text; drizzle's text for a query is the same on every call.
 */
export function preparingStatements(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop === "unsafe") {
        const unsafe = value as postgres.Sql["unsafe"];
        return (
          query: string,
          params?: postgres.ParameterOrJSON<never>[],
          queryOptions?: postgres.UnsafeQueryOptions,
        ) => unsafe(query, params, { ...queryOptions, prepare: true });
      }
      if (prop === "begin" || prop === "savepoint") {
        const open = value as (...args: unknown[]) => unknown;
        // The transaction's own client, handed to the callback, prepares as well.
        return (...args: unknown[]) =>
          open(
            ...args.map((arg) =>
              typeof arg === "function"
                ? (tx: postgres.Sql) => (arg as (tx: postgres.Sql) => unknown)(preparingStatements(tx))
                : arg,
            ),
          );
      }
      return value;
    },
  });
}

/**
 * The embedded database's module (PGlite, its WASM and data, about 20 MB), loaded only when this process
 * runs without DATABASE_URL: development, the tests, `next build` and a `next start` on a long-running host.
 * A deployed function always has DATABASE_URL (lib/core/env.ts refuses to start without it), so it never
 * loads PGlite, and the build leaves PGlite out of the functions (next.config.ts, outputFileTracingExcludes).
 */
const embedded = env.DATABASE_URL ? undefined : await import("./embedded");

// One connection per process, kept on globalThis so dev hot reloads reuse it.
const globalForDb = globalThis as unknown as { __db?: Connection };

/**
 * Makes `connection` the app's database from now on, in place of the one `db` would open on first use
 * (the tests open each file's embedded database before its tests start: tests/support/database.ts).
 */
export function replaceDatabaseConnection(connection: Connection) {
  globalForDb.__db = connection;
}

/** Whether a connection is open: none before the first query, or after `closeDatabase()`. */
export function databaseConnectionOpen(): boolean {
  return globalForDb.__db !== undefined;
}

function connection(): Connection {
  globalForDb.__db ??= env.DATABASE_URL
    ? createPostgresDatabase(env.DATABASE_URL, {}, env.DATABASE_URL_UNPOOLED)
    : embedded!.createEmbeddedDatabase(embedded!.embeddedDataDir());
  return globalForDb.__db;
}

/**
 * The app's database. Created on first use (not at import), so importing a
 * module never opens a database; `next build` workers that never query never open one.
 */
export const db: Database = new Proxy({} as Database, {
  get(_, prop) {
    const real = connection().db;
    const value = Reflect.get(real, prop, real);
    return typeof value === "function" ? value.bind(real) : value;
  },
});

export type { NotificationHandlers, NotificationSubscription } from "./listen";

/**
 * LISTEN for NOTIFYs on `channel` of the app's database: a dedicated
 * connection on Postgres (re-established after a restart), PGlite's own
 * listeners on the embedded database. Stop it with the returned `stop()`.
 */
export function listenForNotifications(channel: string, handlers: NotificationHandlers) {
  return connection().listen(channel, handlers);
}

export async function closeDatabase() {
  await globalForDb.__db?.close();
  globalForDb.__db = undefined;
}

/** True when the database answers `select 1` within the timeout. */
export async function pingDatabase(db: Database, timeoutMs = 2000): Promise<boolean> {
  try {
    await withTimeout(db.execute(sql`select 1`), timeoutMs);
    return true;
  } catch {
    return false;
  }
}

export {
  databaseStatus,
  isDatabaseError,
  isDatabaseUnreachable,
  isMissingSchemaObject,
  MIGRATIONS_PENDING_HINT,
  type DatabaseStatus,
} from "./status";
