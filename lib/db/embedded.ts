import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { env } from "@/lib/core/env";
import type { Connection, Database } from "./types";
import { listenOnEmbedded, type NotificationHandlers } from "./listen";
import { migrationsFolder } from "./migrations-folder";
import * as schema from "./schema";

/**
 * The embedded database: PGlite (Postgres compiled to WASM) in this process.
 * It is migrated before the first query runs, so `npm run dev` needs nothing installed.
 * `loadDataDir` starts it from a dump (`dumpDataDir()`) instead of an empty cluster: the tests start
 * each file's database from one migrated once, skipping the seconds `initdb` takes.
 */
export function createEmbeddedDatabase(
  dataDir: string,
  { loadDataDir }: { loadDataDir?: Blob } = {},
): Connection & { ready: Promise<unknown> } {
  const client = new PGlite(dataDir, { loadDataDir });
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

/**
 * Where the embedded database lives: in memory for tests and `next build`, else PGLITE_DATA_DIR or
 * `.data/pglite`, created if missing and locked to this process (`npm run db:migrate` opens it the same way).
 */
export function embeddedDataDir() {
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
