import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { logger } from "@/lib/core/logger";
import { withTimeout } from "@/lib/core/timing";
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

/** Driver and socket codes of a connection that could not be made or was lost (postgres.js, Node). */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/**
 * Whether an error means the database could not be reached (so a client should retry), rather
 * than a bug: a socket or driver connection code, or a Postgres connection-class SQLSTATE
 * (08xxx, a shutting-down or starting server 57P0x, too many connections 53300). Looks through
 * Drizzle's wrapping (`cause`) and Node's AggregateError (one error per address).
 */
export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 5) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && (CONNECTION_CODES.has(code) || /^(08|57P0)/.test(code) || code === "53300"))
    return true;
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnreachable(inner, depth + 1))) return true;
  return isDatabaseUnreachable(cause, depth + 1);
}

/** Whether a query failed on a table or column that does not exist: a database behind the code's migrations. */
export function isMissingSchemaObject(error: unknown): boolean {
  return ["42P01", "42703", "3F000"].some((state) => hasSqlState(error, state));
}

/**
 * Whether the database refused or failed a statement (Drizzle's query error, or the server's
 * SQLSTATE): the request's work was not done, and trying again later may succeed.
 */
export function isDatabaseError(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 5) return false;
  if (isDatabaseUnreachable(error)) return true;
  const { name, code, cause } = error as { name?: unknown; code?: unknown; cause?: unknown };
  if (name === "DrizzleQueryError") return true;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return true;
  return isDatabaseError(cause, depth + 1);
}

/** Whether the database failed a statement with this SQLSTATE (`55P03`: a lock not granted in time), through Drizzle's wrapping. */
export function hasSqlState(error: unknown, state: string, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 5) return false;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  return code === state || hasSqlState(cause, state, depth + 1);
}
