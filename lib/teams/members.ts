import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { recordAudit, userActor } from "@/lib/audit";
import { schema, transaction, type AfterCommit, type Executor } from "@/lib/db";
import type { TeamRole } from "@/lib/db/schema";
import { publishRealtimeEvent } from "@/lib/realtime";
import { announceMemberWebhook } from "@/lib/webhooks-out";
import { can } from "./roles";
import { queueSeatSync } from "./seats";
import { TeamForbiddenError, TeamNotFoundError } from "./teams";

const { member, organization, user } = schema;

export type MemberView = {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: TeamRole;
  joinedAt: Date;
};

/** A page of the team's members, owners first, then by when they joined; and how many there are. */
export async function listMembers(
  db: Executor,
  teamId: string,
  { limit = 50, offset = 0 }: { limit?: number; offset?: number } = {},
): Promise<{ members: MemberView[]; total: number }> {
  const [members, [total]] = await Promise.all([
    db
      .select({
        id: member.id,
        userId: member.userId,
        name: user.name,
        email: user.email,
        role: member.role,
        joinedAt: member.createdAt,
      })
      .from(member)
      .innerJoin(user, eq(user.id, member.userId))
      .where(eq(member.organizationId, teamId))
      .orderBy(sql`case ${member.role} when 'owner' then 0 when 'admin' then 1 else 2 end`, asc(member.createdAt))
      .limit(limit)
      .offset(offset),
    db.select({ total: count() }).from(member).where(eq(member.organizationId, teamId)),
  ]);
  return { members, total: total?.total ?? 0 };
}

/**
 * Every membership change of a team runs in one transaction that first locks the team's row, so
 * two changes at once (two accepts at the seat limit, two owners leaving) queue instead of racing;
 * the caller's own membership is read inside it, so a role taken away a moment ago already counts.
 */
export async function changeMembership<T>(
  db: Executor,
  teamId: string,
  actorId: string,
  work: (tx: Executor, context: MembershipContext) => Promise<T>,
): Promise<T> {
  return transaction(db, async (tx, afterCommit) => {
    const [team] = await tx
      .select({ id: organization.id, personal: organization.personal })
      .from(organization)
      .where(eq(organization.id, teamId))
      .for("update");
    const [actor] = team
      ? await tx
          .select({ id: member.id, role: member.role })
          .from(member)
          .where(and(eq(member.organizationId, teamId), eq(member.userId, actorId)))
      : [];
    if (!team || !actor) throw new TeamNotFoundError();
    return work(tx, { team, actor, afterCommit });
  });
}

export type MembershipContext = {
  team: { id: string; personal: boolean };
  /** The caller's own membership. */
  actor: { id: string; role: TeamRole };
  afterCommit: AfterCommit;
};

/** A membership row of this team, or `not-found`. */
async function memberOf(tx: Executor, teamId: string, memberId: string) {
  const [row] = await tx
    .select({ id: member.id, userId: member.userId, role: member.role })
    .from(member)
    .where(and(eq(member.id, memberId), eq(member.organizationId, teamId)));
  if (!row)
    throw new AppError("not-found", "That person is not a member of this team.", { reason: "member-not-found" });
  return row;
}

async function ownerCount(tx: Executor, teamId: string): Promise<number> {
  const [row] = await tx
    .select({ total: count() })
    .from(member)
    .where(and(eq(member.organizationId, teamId), eq(member.role, "owner")));
  return row?.total ?? 0;
}

/**
 * Records that the team's members changed, in the transaction that changed them: the seats
 * version moves (the seat sync sends Stripe the new count after the commit), every member's
 * open pages hear it, and the team's webhook endpoints get `member.added` / `member.removed`.
 */
export async function membersChanged(
  tx: Executor,
  teamId: string,
  change: { userId: string; change: "added" | "removed" | "role-changed" },
  afterCommit: AfterCommit,
): Promise<void> {
  if (change.change !== "role-changed") {
    const [bumped] = await tx
      .update(organization)
      .set({ seatsVersion: sql`${organization.seatsVersion} + 1` })
      .where(eq(organization.id, teamId))
      .returning({ version: organization.seatsVersion });
    afterCommit(() => queueSeatSync(teamId, bumped?.version));
    await announceMemberWebhook(tx, afterCommit, teamId, change.userId, change.change);
  }
  await publishRealtimeEvent(tx, { teamId }, "member.changed", change);
}

/** Adds someone to a team as `role` (no invitation: the seed and tests). */
export async function addMember(db: Executor, teamId: string, userId: string, role: TeamRole = "member") {
  return transaction(db, async (tx, afterCommit) => {
    await tx.select({ id: organization.id }).from(organization).where(eq(organization.id, teamId)).for("update");
    const [added] = await tx
      .insert(member)
      .values({ id: randomUUID(), organizationId: teamId, userId, role })
      .onConflictDoNothing()
      .returning();
    if (added) await membersChanged(tx, teamId, { userId, change: "added" }, afterCommit);
    return added ?? null;
  });
}

/**
 * Changes a member's role. Owners and admins manage members; only an owner makes someone an owner
 * or changes an owner's role, and the last owner cannot stop being one (transfer ownership instead).
 */
export async function changeMemberRole(
  db: Executor,
  { teamId, actorId, memberId, role }: { teamId: string; actorId: string; memberId: string; role: TeamRole },
): Promise<void> {
  await changeMembership(db, teamId, actorId, async (tx, { actor, afterCommit }) => {
    if (!can(actor.role, "members:manage"))
      throw new TeamForbiddenError("Only the team's owners and admins can change roles.");
    const target = await memberOf(tx, teamId, memberId);
    if ((role === "owner" || target.role === "owner") && actor.role !== "owner")
      throw new TeamForbiddenError("Only an owner can make someone an owner, or change an owner's role.");
    if (target.role === "owner" && role !== "owner" && (await ownerCount(tx, teamId)) === 1)
      throw new AppError("conflict", "A team needs an owner: make someone else the owner first.", {
        reason: "last-owner",
      });
    if (target.role === role) return;
    await tx.update(member).set({ role }).where(eq(member.id, memberId));
    await membersChanged(tx, teamId, { userId: target.userId, change: "role-changed" }, afterCommit);
    await recordAudit(tx, {
      teamId,
      actor: await userActor(tx, actorId),
      action: "team.member_role_changed",
      target: { type: "user", id: target.userId },
      metadata: { from: target.role, to: role },
    });
  });
}

/** Removes a member (owners and admins; owners are removed only by an owner, and never the last one). */
export async function removeMember(
  db: Executor,
  { teamId, actorId, memberId }: { teamId: string; actorId: string; memberId: string },
): Promise<{ userId: string }> {
  return changeMembership(db, teamId, actorId, async (tx, { actor, afterCommit }) => {
    const target = await memberOf(tx, teamId, memberId);
    if (target.id !== actor.id && !can(actor.role, "members:manage"))
      throw new TeamForbiddenError("Only the team's owners and admins can remove members.");
    if (target.role === "owner" && actor.role !== "owner")
      throw new TeamForbiddenError("Only an owner can remove an owner.");
    if (target.role === "owner" && (await ownerCount(tx, teamId)) === 1)
      throw new AppError("conflict", "The team's last owner cannot leave: make someone else the owner first.", {
        reason: "last-owner",
      });
    await tx.delete(member).where(eq(member.id, target.id));
    await membersChanged(tx, teamId, { userId: target.userId, change: "removed" }, afterCommit);
    await recordAudit(tx, {
      teamId,
      actor: await userActor(tx, actorId),
      action: "team.member_removed",
      target: { type: "user", id: target.userId },
      metadata: { role: target.role, left: target.id === actor.id },
    });
    return { userId: target.userId };
  });
}

/** Leaves a team. A personal team cannot be left; the last owner hands the team on first. */
export async function leaveTeam(db: Executor, teamId: string, userId: string): Promise<void> {
  await changeMembership(db, teamId, userId, async (tx, { team, actor, afterCommit }) => {
    if (team.personal)
      throw new AppError("conflict", "Your personal team goes with your account; it cannot be left.", {
        reason: "personal-team",
      });
    if (actor.role === "owner" && (await ownerCount(tx, teamId)) === 1)
      throw new AppError("conflict", "The team's last owner cannot leave: make someone else the owner first.", {
        reason: "last-owner",
      });
    await tx.delete(member).where(eq(member.id, actor.id));
    await membersChanged(tx, teamId, { userId, change: "removed" }, afterCommit);
    await recordAudit(tx, {
      teamId,
      actor: await userActor(tx, userId),
      action: "team.member_removed",
      target: { type: "user", id: userId },
      metadata: { role: actor.role, left: true },
    });
  });
}

/** Makes another member the owner; the previous owner stays on as an admin. */
export async function transferOwnership(
  db: Executor,
  { teamId, ownerId, memberId }: { teamId: string; ownerId: string; memberId: string },
): Promise<void> {
  await changeMembership(db, teamId, ownerId, async (tx, { team, actor, afterCommit }) => {
    if (!can(actor.role, "team:transfer")) throw new TeamForbiddenError("Only an owner can hand the team on.");
    if (team.personal)
      throw new AppError("conflict", "A personal team belongs to its account and cannot be handed on.", {
        reason: "personal-team",
      });
    const target = await memberOf(tx, teamId, memberId);
    if (target.id === actor.id) return;
    await tx.update(member).set({ role: "owner" }).where(eq(member.id, target.id));
    await tx.update(member).set({ role: "admin" }).where(eq(member.id, actor.id));
    await membersChanged(tx, teamId, { userId: target.userId, change: "role-changed" }, afterCommit);
    await membersChanged(tx, teamId, { userId: ownerId, change: "role-changed" }, afterCommit);
    await recordAudit(tx, {
      teamId,
      actor: await userActor(tx, ownerId),
      action: "team.ownership_transferred",
      target: { type: "user", id: target.userId },
      metadata: { previousRole: target.role },
    });
  });
}
