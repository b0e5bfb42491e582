import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { sql } from "drizzle-orm";
import { logger } from "@/lib/core/logger";
import { schema, type Executor } from "@/lib/db";
import type { AuditActorType } from "@/lib/db/schema";
import { clientIp } from "@/lib/http/client-ip";
import { REQUEST_ID_HEADER } from "@/lib/http/request-id";
import { currentRequestId } from "@/lib/observability/request-context";
import type { AuditAction } from "./catalog";
import { newPersonalSalt, personalDigest, rowHash } from "./chain";
import { sanitizeMetadata } from "./metadata";

const { auditEvents } = schema;

export type AuditActor = { type: AuditActorType; id: string | null; label: string };

/** Where the change came from. Taken from the current request when there is one; a job passes what it knows. */
export type AuditRequestContext = { ip?: string | null; userAgent?: string | null; requestId?: string | null };

export type AuditEventInput = {
  /** The team whose log it belongs to; null for account-level events (sign-in, password, deletion). */
  teamId: string | null;
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string };
  metadata?: Record<string, unknown>;
  /** Overrides what the current request says (fields left out still come from it). */
  context?: AuditRequestContext;
};

/** The actor for the system's own changes (sweepers, automatic disables). */
export const systemActor = (label = "system"): AuditActor => ({ type: "system", id: null, label });

// Namespaces the chain locks among the database's advisory locks ("AUDT").
const CHAIN_LOCK_CLASS = 0x41554454;
const MAX_USER_AGENT = 300;
const SAFE_ID = /^[\w.:-]{1,128}$/;

/**
 * Appends one event to its team's chain, inside the caller's transaction: if the change rolls back,
 * so does its event. The chain is locked for the rest of the transaction (an advisory lock per
 * team), so concurrent writers append one after the other, each reading the hash the previous one
 * committed. Call it last in the transaction where you can: the lock is held until the commit.
 */
export async function recordAudit(tx: Executor, event: AuditEventInput): Promise<void> {
  if (benchmarkingWithout.getStore()) return;
  const context = { ...(await currentContext()), ...definedOnly(event.context ?? {}) };
  const { metadata, dropped } = sanitizeMetadata(event.metadata);
  if (dropped.length) logger.warn({ action: event.action, dropped }, "audit: metadata dropped or redacted");

  const chain = event.teamId ?? "account";
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK_CLASS}::int, hashtext(${chain}))`);
  // A statement of its own, after the lock: under READ COMMITTED it sees what the lock's previous holder committed.
  const teamMatch = event.teamId === null ? sql`organization_id is null` : sql`organization_id = ${event.teamId}`;
  const rows = await tx.execute(sql`
    select (select hash from audit_events where ${teamMatch} order by id desc limit 1) as hash,
           to_char(date_trunc('milliseconds', clock_timestamp()) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as now`);
  const [last] = rowsOf<{ hash: string | null; now: string }>(rows);
  const salt = newPersonalSalt();
  const fields = {
    organizationId: event.teamId,
    actorType: event.actor.type,
    actorId: event.actor.id,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    ip: context.ip ?? null,
    userAgent: context.userAgent ? context.userAgent.slice(0, MAX_USER_AGENT) : null,
    requestId: context.requestId ?? null,
    occurredAt: new Date(last!.now),
    personalDigest: personalDigest(salt, event.actor.label, metadata),
    prevHash: last?.hash ?? null,
  };
  await tx.insert(auditEvents).values({
    ...fields,
    actorLabel: event.actor.label,
    metadata,
    personalSalt: salt,
    hash: rowHash(fields),
  });
}

const benchmarkingWithout = new AsyncLocalStorage<true>();

/**
 * For `npm run bench -- --audit` only (not in lib/audit's front door): runs `work` with
 * `recordAudit` doing nothing, so the benchmark can time the same change with and without its audit
 * write in one process.
 */
export function withoutAuditForBenchmark<T>(work: () => Promise<T>): Promise<T> {
  return benchmarkingWithout.run(true, work);
}

/** postgres.js answers an array of rows, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

function definedOnly(context: AuditRequestContext): AuditRequestContext {
  return Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined));
}

/** The current request's IP (as TRUST_PROXY says), user agent and id; nothing outside a request. */
async function currentContext(): Promise<AuditRequestContext> {
  const requestId = currentRequestId();
  let requestHeaders: Headers | undefined;
  try {
    const { headers } = await import("next/headers");
    requestHeaders = await headers();
  } catch {
    // Outside a request (a job, a script, a test): only what the caller passes.
  }
  if (!requestHeaders) return { requestId: requestId ?? null };
  const sent = requestHeaders.get(REQUEST_ID_HEADER) ?? requestHeaders.get("x-vercel-id");
  return {
    ip: clientIp(requestHeaders) ?? null,
    userAgent: requestHeaders.get("user-agent"),
    requestId: requestId ?? (sent && SAFE_ID.test(sent.trim()) ? sent.trim() : null),
  };
}
