import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { logger } from "@/lib/logger";
import { withTimeout } from "@/lib/timing";
import journal from "../../drizzle/meta/_journal.json";

/** Any Drizzle database: the app's, or one a test or script opened. */
type Queryable = { execute(query: SQL): Promise<unknown> };

export type DatabaseStatus = "ok" | "unavailable" | "migrations-pending";

/** What a person reads when the database is behind the code: the one command that fixes it. */
export const MIGRATIONS_PENDING_HINT = "database migrations pending: run `npm run db:migrate` against DATABASE_URL";

// The newest migration this build ships (drizzle-kit's journal, bundled at build time). Drizzle's
// migrator records each applied one's `when` as `created_at`, so the newest row says how far a database is.
const newestMigration = Math.max(...journal.entries.map((entry) => entry.when));

let warned = false;

/**
 * Whether the database answers, and whether it has every migration this build
 * ships. The embedded database migrates itself before its first query, so this
 * only ever finds migrations pending on a Postgres nobody has migrated yet; the
 * first time it does, it logs the fix once.
 */
export async function databaseStatus(db: Queryable, timeoutMs = 2000): Promise<DatabaseStatus> {
  let newestApplied: number;
  try {
    const rows = await withTimeout(
      db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`),
      timeoutMs,
    );
    if (!rowsOf<{ present: boolean }>(rows)[0]?.present) return pending();
    const applied = await withTimeout(
      db.execute(sql`select max(created_at)::text as newest from drizzle.__drizzle_migrations`),
      timeoutMs,
    );
    newestApplied = Number(rowsOf<{ newest: string | null }>(applied)[0]?.newest ?? 0);
  } catch {
    return "unavailable";
  }
  return newestApplied >= newestMigration ? "ok" : pending();
}

function pending(): DatabaseStatus {
  if (!warned) {
    warned = true;
    logger.error({ feature: "db" }, MIGRATIONS_PENDING_HINT);
  }
  return "migrations-pending";
}

// postgres.js returns the rows as the result; PGlite returns `{ rows }`.
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
