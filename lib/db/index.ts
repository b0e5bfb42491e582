import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env";
import { withTimeout } from "@/lib/timing";
import { listenOnEmbedded, listenOnPostgres, type NotificationHandlers } from "./listen";
import * as schema from "./schema";

export { schema };
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: lib functions accept either. */
export type Executor = Pick<Database, "select" | "insert" | "update" | "delete" | "transaction" | "query">;

/**
 * Runs `work` once the surrounding transaction has committed: a job started
 * inside the transaction would not yet see the rows it wrote.
 */
export type AfterCommit = (work: () => Promise<unknown>) => void;

export const migrationsFolder = path.join(process.cwd(), "drizzle");

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
 * The embedded database: PGlite (Postgres compiled to WASM) in this process.
 * It is migrated before the first query runs, so `npm run dev` needs nothing installed.
 */
export function createEmbeddedDatabase(dataDir: string) {
  const client = new PGlite(dataDir);
  const ready = migratePglite(drizzlePglite({ client }), { migrationsFolder });
  // Every query waits for the migrations; the migrator itself uses the raw client.
  const gated = new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "query" || prop === "exec" || prop === "transaction") {
        return async (...args: unknown[]) => {
          await ready;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
  return {
    db: drizzlePglite({ client: gated, schema }) as unknown as Database,
    ready,
    close: () => client.close(),
    listen: async (channel: string, handlers: NotificationHandlers) => {
      await ready;
      return listenOnEmbedded(client, channel, handlers);
    },
  };
}

/** Where the embedded database lives: in memory for tests and `next build`, else PGLITE_DATA_DIR or `.data/pglite`. */
function embeddedDataDir() {
  const building = env.NEXT_PHASE === "phase-production-build";
  if (env.isTest || building) return "memory://";
  const dir = env.PGLITE_DATA_DIR ?? path.join(process.cwd(), ".data", "pglite");
  claimDataDir(dir);
  return dir;
}

/**
 * PGlite is a single-connection database: two processes opening one directory
 * corrupt it. A lock file with our pid turns that into a clear error.
 */
function claimDataDir(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  const lock = `${dir}.lock`;
  try {
    const holder = Number(fs.readFileSync(lock, "utf8"));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `The embedded database in ${dir} is in use by process ${holder} (is \`npm run dev\` or \`npm start\` running?). ` +
          "Stop it first, or set DATABASE_URL to use Postgres.",
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.writeFileSync(lock, String(process.pid));
  process.once("exit", () => fs.rmSync(lock, { force: true }));
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

type Connection = Pick<ReturnType<typeof createPostgresDatabase>, "db" | "close" | "listen">;

// One connection per process, kept on globalThis so dev hot reloads reuse it.
const globalForDb = globalThis as unknown as { __db?: Connection };

function connection(): Connection {
  globalForDb.__db ??= env.DATABASE_URL
    ? createPostgresDatabase(env.DATABASE_URL, {}, env.DATABASE_URL_UNPOOLED)
    : createEmbeddedDatabase(embeddedDataDir());
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

export { databaseStatus, MIGRATIONS_PENDING_HINT, type DatabaseStatus } from "./status";
