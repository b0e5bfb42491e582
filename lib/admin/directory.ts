import "server-only";
import { and, asc, count, desc, eq, gt, ilike, or, sql } from "drizzle-orm";
import { escapeLike, schema, type Executor } from "@/lib/db";

const { user, organization, member, session, auditEvents } = schema;

/** How many of a user's audit events their admin page shows. */
export const RECENT_AUDIT_EVENTS = 20;

/** Rows per page of a search. */
export const ADMIN_PAGE_SIZE = 20;

/** `q` as an ILIKE pattern that matches it anywhere, its own % and _ taken literally. */
function containing(q: string): string {
  return `%${escapeLike(q)}%`;
}

export type Page<T> = { rows: T[]; page: number; hasMore: boolean };

/** Users whose address or name contains `q` (every user when it is empty), newest first. */
export async function searchUsers(db: Executor, { q, page }: { q: string; page: number }) {
  const rows = await db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      emailVerified: user.emailVerified,
      banned: user.banned,
      createdAt: user.createdAt,
    })
    .from(user)
    .where(q ? or(ilike(user.email, containing(q)), ilike(user.name, containing(q))) : undefined)
    .orderBy(desc(user.createdAt), asc(user.id))
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((page - 1) * ADMIN_PAGE_SIZE);
  return { rows: rows.slice(0, ADMIN_PAGE_SIZE), page, hasMore: rows.length > ADMIN_PAGE_SIZE };
}

/** Teams whose name or slug contains `q`, newest first, with their member count. */
export async function searchTeams(db: Executor, { q, page }: { q: string; page: number }) {
  const members = db
    .select({ organizationId: member.organizationId, members: count().as("members") })
    .from(member)
    .groupBy(member.organizationId)
    .as("members");
  const rows = await db
    .select({
      id: organization.id,
      name: organization.name,
      slug: organization.slug,
      personal: organization.personal,
      createdAt: organization.createdAt,
      members: sql<number>`coalesce(${members.members}, 0)`.mapWith(Number),
    })
    .from(organization)
    .leftJoin(members, eq(members.organizationId, organization.id))
    .where(q ? or(ilike(organization.name, containing(q)), ilike(organization.slug, containing(q))) : undefined)
    .orderBy(desc(organization.createdAt), asc(organization.id))
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((page - 1) * ADMIN_PAGE_SIZE);
  return { rows: rows.slice(0, ADMIN_PAGE_SIZE), page, hasMore: rows.length > ADMIN_PAGE_SIZE };
}

/** One user as /admin shows them: the account, their teams and their sessions that have not expired. */
export async function userDetail(db: Executor, userId: string, now = new Date()) {
  const [account] = await db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      emailVerified: user.emailVerified,
      banned: user.banned,
      banReason: user.banReason,
      banExpires: user.banExpires,
      createdAt: user.createdAt,
    })
    .from(user)
    .where(eq(user.id, userId));
  if (!account) return null;
  const [teams, sessions, recentEvents] = await Promise.all([
    db
      .select({
        id: organization.id,
        name: organization.name,
        slug: organization.slug,
        personal: organization.personal,
        role: member.role,
      })
      .from(member)
      .innerJoin(organization, eq(organization.id, member.organizationId))
      .where(eq(member.userId, userId))
      .orderBy(desc(organization.personal), asc(organization.name)),
    db
      .select({
        id: session.id,
        createdAt: session.createdAt,
        lastSeenAt: session.updatedAt,
        expiresAt: session.expiresAt,
        userAgent: session.userAgent,
        ipAddress: session.ipAddress,
        impersonatedBy: session.impersonatedBy,
      })
      .from(session)
      .where(and(eq(session.userId, userId), gt(session.expiresAt, now)))
      .orderBy(desc(session.updatedAt)),
    // What they did (as actor, in any team's chain or their account's) and what was done to them, newest first.
    db
      .select({
        id: auditEvents.id,
        action: auditEvents.action,
        actorLabel: auditEvents.actorLabel,
        actorId: auditEvents.actorId,
        targetType: auditEvents.targetType,
        targetId: auditEvents.targetId,
        teamId: auditEvents.organizationId,
        ip: auditEvents.ip,
        occurredAt: auditEvents.occurredAt,
      })
      .from(auditEvents)
      .where(
        or(
          and(eq(auditEvents.actorType, "user"), eq(auditEvents.actorId, userId)),
          and(eq(auditEvents.targetType, "user"), eq(auditEvents.targetId, userId)),
        ),
      )
      .orderBy(desc(auditEvents.id))
      .limit(RECENT_AUDIT_EVENTS),
  ]);
  return { ...account, teams, sessions, recentEvents };
}

/** One team as /admin shows it: its members with their roles. */
export async function teamDetail(db: Executor, teamId: string) {
  const [team] = await db
    .select({
      id: organization.id,
      name: organization.name,
      slug: organization.slug,
      personal: organization.personal,
      createdAt: organization.createdAt,
    })
    .from(organization)
    .where(eq(organization.id, teamId));
  if (!team) return null;
  const members = await db
    .select({ userId: user.id, name: user.name, email: user.email, role: member.role, banned: user.banned })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.organizationId, teamId))
    .orderBy(asc(member.createdAt));
  return { ...team, members };
}
