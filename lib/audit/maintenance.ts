import "server-only";
import { createHmac } from "node:crypto";
import { eq, or, sql } from "drizzle-orm";
import { env } from "@/lib/core/env";
import { schema, type Executor } from "@/lib/db";
import { rowsOf } from "./record";

const { auditEvents } = schema;

/**
 * What a deleted user's events show instead of their name: stable for one user (their events still
 * read as one person's), not reversible without the app's secret.
 */
export function pseudonymFor(userId: string): string {
  return `deleted-user-${createHmac("sha256", env.authSecret).update(`audit-pseudonym:${userId}`).digest("hex").slice(0, 12)}`;
}

/**
 * Replaces a deleted user's name and address in the audit log, in the deletion's transaction: their
 * label where they acted, and any metadata value that is exactly their name or address wherever it
 * appears. The rows' salts are forgotten, so nobody can test a guess of the old words against the
 * digest the chain covers; the chain stays valid (docs/audit.md). The trigger allows this update only
 * under `audit.pseudonymise` set to the user's id, and only these columns.
 */
export async function pseudonymiseAuditActor(
  tx: Executor,
  person: { id: string; name: string; email: string },
  /** Other words that name them: their personal team's name ("Ann's recipes"). */
  alsoNaming: string[] = [],
): Promise<number> {
  const pseudonym = pseudonymFor(person.id);
  const words = new Set(
    [person.email, person.name, ...alsoNaming]
      .map((word) => word.trim().toLowerCase())
      .filter((word) => word.length > 0),
  );
  const mentions = [...words].map(
    (word) => sql`position(${JSON.stringify(word).slice(1, -1)} in lower(${auditEvents.metadata}::text)) > 0`,
  );
  const rows = await tx
    .select({ id: auditEvents.id, actorId: auditEvents.actorId, metadata: auditEvents.metadata })
    .from(auditEvents)
    .where(or(eq(auditEvents.actorId, person.id), eq(auditEvents.targetId, person.id), ...mentions));
  if (rows.length === 0) return 0;
  await tx.execute(sql`select set_config('audit.pseudonymise', ${person.id}, true)`);
  for (const row of rows) {
    await tx
      .update(auditEvents)
      .set({
        ...(row.actorId === person.id ? { actorLabel: pseudonym } : {}),
        metadata: replaceWords(row.metadata, words, pseudonym) as Record<string, unknown>,
        personalSalt: null,
      })
      .where(eq(auditEvents.id, row.id));
  }
  // Nothing later in the transaction rewrites the log under this user's name.
  await tx.execute(sql`select set_config('audit.pseudonymise', '', true)`);
  return rows.length;
}

function replaceWords(value: unknown, words: Set<string>, pseudonym: string): unknown {
  if (typeof value === "string") return words.has(value.toLowerCase()) ? pseudonym : value;
  if (Array.isArray(value)) return value.map((item) => replaceWords(item, words, pseudonym));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, replaceWords(inner, words, pseudonym)]),
    );
  return value;
}

/**
 * Retention: deletes events older than `days` (AUDIT_RETENTION_DAYS), a chunk per transaction. The
 * trigger lets a DELETE through only in a transaction that names the window, and only for rows past
 * it, by the database's clock. Each chain then starts at its first kept row.
 */
export async function deleteExpiredAuditEvents(db: Executor, days: number, chunk: number): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('audit.retention_days', ${String(days)}, true)`);
    const deleted = await tx.execute(sql`
      delete from audit_events where id in (
        select id from audit_events where occurred_at < now() - make_interval(days => ${days}::int)
        order by id limit ${chunk})
      returning id`);
    return rowsOf(deleted).length;
  });
}
