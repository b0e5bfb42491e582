import "server-only";
import { and, desc, eq, gte, ilike, like, lt, or, type SQL } from "drizzle-orm";
import { escapeLike, schema, type Executor } from "@/lib/db";
import type { AuditEventRow } from "@/lib/db/schema";
import { auditActions } from "./catalog";

const { auditEvents } = schema;

/** What the team page and `GET /api/v1/audit-events` filter by; each is optional. */
export type AuditFilters = {
  /** An actor's id (a user's, a key's, a Stripe event's), or words of its label ("ann", "stripe"). */
  actor?: string;
  /** One action (`recipe.created`), or an area (`recipe`: every `recipe.*`). */
  action?: string;
  /** From this moment (inclusive). */
  since?: Date;
  /** Before this moment (exclusive). */
  until?: Date;
};

/** The areas of the catalog ("account", "team", "recipe", ...): the filters' `action` takes one for all its actions. */
export const auditAreas = [...new Set(auditActions.map((action) => action.split(".")[0]!))];

function conditions(teamId: string, filters: AuditFilters, before?: number): SQL {
  const { actor, action, since, until } = filters;
  return and(
    eq(auditEvents.organizationId, teamId),
    actor ? or(eq(auditEvents.actorId, actor), ilike(auditEvents.actorLabel, `%${escapeLike(actor)}%`)) : undefined,
    action
      ? action.includes(".")
        ? eq(auditEvents.action, action)
        : like(auditEvents.action, `${escapeLike(action)}.%`)
      : undefined,
    since ? gte(auditEvents.occurredAt, since) : undefined,
    until ? lt(auditEvents.occurredAt, until) : undefined,
    before !== undefined ? lt(auditEvents.id, before) : undefined,
  )!;
}

export type AuditPage = { events: AuditEventRow[]; next: number | null };

/**
 * One page of the team's log, newest first: the events before the cursor (an event id) that match
 * the filters. Ids only grow, so paging never shows an event twice or skips one recorded meanwhile.
 */
export async function listAuditEvents(
  db: Executor,
  teamId: string,
  filters: AuditFilters,
  { limit, before }: { limit: number; before?: number },
): Promise<AuditPage> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(conditions(teamId, filters, before))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  const events = rows.slice(0, limit);
  return { events, next: rows.length > limit ? events.at(-1)!.id : null };
}

/** At most this many events in one export: a bigger one is narrowed by date. */
export const EXPORT_MAX_EVENTS = 10_000;
const EXPORT_PAGE = 1_000;

/** Every event matching the filters, newest first, a page at a time (for an export), up to EXPORT_MAX_EVENTS. */
export async function* auditEventsMatching(
  db: Executor,
  teamId: string,
  filters: AuditFilters,
): AsyncGenerator<AuditEventRow> {
  let before: number | undefined;
  let sent = 0;
  for (;;) {
    const page = await listAuditEvents(db, teamId, filters, {
      limit: Math.min(EXPORT_PAGE, EXPORT_MAX_EVENTS - sent),
      before,
    });
    for (const event of page.events) yield event;
    sent += page.events.length;
    if (page.next === null || sent >= EXPORT_MAX_EVENTS) return;
    before = page.next;
  }
}
