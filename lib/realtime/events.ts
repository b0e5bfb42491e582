import "server-only";
import { and, asc, eq, gt, inArray, lt, max, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

const { realtimeEvents } = schema;

/** The Postgres channel every realtime NOTIFY goes out on; one LISTEN per server process. */
export const REALTIME_CHANNEL = "realtime_events";

/** Rows are kept this long for Last-Event-ID replay; the sweep deletes older ones. */
export const REALTIME_RETENTION_MS = 24 * 60 * 60_000;

/**
 * Every event type and the JSON its `data:` carries. Data holds ids and
 * states, never email addresses or secrets: a client re-reads anything more.
 */
export type RealtimeEventData = {
  /** The user's plan after a Stripe event was processed. */
  /** A team's plan after a Stripe event was processed (or its seats changed). */
  "plan.changed": { plan: string; planName: string; recipeLimit: number | null };
  "recipe.changed": { recipeId: string; change: "created" | "updated" | "deleted" | "published" | "unpublished" };
  /** Someone joined or left a team, or their role changed. */
  "member.changed": { userId: string; change: "added" | "removed" | "role-changed" };
  /** An email's delivery status moved (sent, delivered, bounced, complained, failed, suppressed). */
  "email.status": { emailId: string; template: string; status: string };
  /** A background AI job (e.g. "Plan my week") stored its result. */
  "ai.draft.finished": { generationId: string; kind: string; title?: string; href?: string };
};

export type RealtimeEventType = keyof RealtimeEventData;

/** Who receives an event: one user's streams, or the streams of every member of a team (on every server). */
export type RealtimeAudience = { userId: string } | { teamId: string };

/** Whose stream it is: the user, and the teams whose events they hear. */
export type RealtimeViewer = { userId: string; teamIds: readonly string[] };

export type RealtimeEvent = { id: number; type: string; data: unknown };

/** What a NOTIFY carries. `data` is left out when it would pass Postgres's 8000-byte payload limit; listeners then read the row. */
export type RealtimeNotification = {
  id: number;
  userId: string | null;
  organizationId: string | null;
  type: string;
  data?: unknown;
  /** When the writer published it (ms since the epoch): the start of the fan-out latency. */
  at: number;
};

/**
 * The other kind of NOTIFY on the channel: these sessions ended (revoked, signed out, reset, the account
 * deleted), so every server closes the streams they opened.
 */
export type SessionsEndedNotification = { endedSessionIds: string[] };

/**
 * A NOTIFY that this session ended, as SQL to put on each row a statement deletes or reads (in
 * `.returning()` or a select's columns): Postgres sends it on commit, with the deletion it announces.
 */
export function notifySessionEnded(sessionId: SQL | AnyColumn): SQL<string> {
  return sql<string>`pg_notify(${REALTIME_CHANNEL}, json_build_object('endedSessionIds', json_build_array(${sessionId}))::text)`;
}

/** Tells every server that this session ended (its row is already gone), so its open streams close. */
export async function announceSessionEnded(db: Executor, sessionId: string): Promise<void> {
  await db.select({ sent: notifySessionEnded(sql`${sessionId}::text`) }).from(sql`(select 1) as announce`);
}

/** Room for the id, type and time around the data in a 7999-byte NOTIFY payload. */
export const INLINE_DATA_MAX_BYTES = 7_000;

/**
 * Records a realtime event and NOTIFYs the listening servers, in one
 * statement run on `tx`. Call it inside the transaction that makes the change
 * the user should see: the row and the NOTIFY commit with that change, or
 * neither happens (Postgres delivers a NOTIFY only on commit; postgres.js's
 * `tx.notify()` would send at once, so this uses `pg_notify` in the statement).
 *
 * ```ts
 * await db.transaction(async (tx) => {
 *   const draft = await storeWeekPlan(tx, userId, plan);
 *   await publishRealtimeEvent(tx, { userId }, "ai.draft.finished", { generationId: draft.id, kind: "week-plan" });
 * });
 * ```
 */
export async function publishRealtimeEvent<T extends RealtimeEventType>(
  tx: Executor,
  audience: RealtimeAudience,
  type: T,
  data: RealtimeEventData[T],
): Promise<{ id: number }> {
  const at = Date.now();
  // A team's event names its team, so a page of one team ignores what the viewer's other teams hear.
  const owned =
    "teamId" in audience
      ? { organizationId: audience.teamId, data: { ...data, teamId: audience.teamId } }
      : { userId: audience.userId, data };
  const [row] = await tx
    .insert(realtimeEvents)
    .values({ ...owned, type })
    .returning({ id: realtimeEvents.id, notified: notifyListeners(at) });
  return { id: row!.id };
}

/** The NOTIFY, built in SQL from the inserted row so the payload carries its id. */
function notifyListeners(at: number): SQL<string> {
  const { id, userId, organizationId, type, data } = realtimeEvents;
  return sql<string>`pg_notify(${REALTIME_CHANNEL}, json_build_object(
    'id', ${id}, 'userId', ${userId}, 'organizationId', ${organizationId}, 'type', ${type}, 'at', ${at}::bigint,
    'data', case when octet_length(${data}::text) <= ${INLINE_DATA_MAX_BYTES} then ${data} end
  )::text)`;
}

/** The viewer's own events and their teams'. */
const heardBy = (viewer: RealtimeViewer) =>
  viewer.teamIds.length
    ? or(eq(realtimeEvents.userId, viewer.userId), inArray(realtimeEvents.organizationId, [...viewer.teamIds]))
    : eq(realtimeEvents.userId, viewer.userId);

/** The viewer's events after `afterId`, oldest first: what a reconnecting stream missed. */
export function listRealtimeEventsAfter(
  db: Executor,
  viewer: RealtimeViewer,
  afterId: number,
  limit = 500,
): Promise<RealtimeEvent[]> {
  return db
    .select({ id: realtimeEvents.id, type: realtimeEvents.type, data: realtimeEvents.data })
    .from(realtimeEvents)
    .where(and(heardBy(viewer), gt(realtimeEvents.id, afterId)))
    .orderBy(asc(realtimeEvents.id))
    .limit(limit);
}

/** The viewer's newest event id (0 for none): where a fresh stream starts. */
export async function latestRealtimeEventId(db: Executor, viewer: RealtimeViewer): Promise<number> {
  const [row] = await db
    .select({ id: max(realtimeEvents.id) })
    .from(realtimeEvents)
    .where(heardBy(viewer));
  return Number(row?.id ?? 0);
}

/** One event by id, for a notification too large to carry its data. */
export async function findRealtimeEvent(db: Executor, id: number): Promise<RealtimeEvent | null> {
  const [row] = await db
    .select({ id: realtimeEvents.id, type: realtimeEvents.type, data: realtimeEvents.data })
    .from(realtimeEvents)
    .where(eq(realtimeEvents.id, id));
  return row ?? null;
}

/** Deletes events past the replay window; returns how many went. Run by the retention job (lib/cron/retention.ts). */
export async function deleteExpiredRealtimeEvents(db: Executor, now = new Date()): Promise<number> {
  const deleted = await db
    .delete(realtimeEvents)
    .where(lt(realtimeEvents.createdAt, new Date(now.getTime() - REALTIME_RETENTION_MS)))
    .returning({ id: realtimeEvents.id });
  return deleted.length;
}
