import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { cache } from "react";
import { AppError } from "@/lib/core/errors";
import { recordAudit, userActor } from "@/lib/audit";
import { schema, type Executor } from "@/lib/db";
import type { TeamRole } from "@/lib/db/schema";
import { getTeamPlan } from "@/lib/billing/plans";
import { deleteTeamUploads } from "@/lib/uploads/cleanup";
import { can, memberMay, type TeamPermission } from "./roles";

const { member, organization } = schema;

/** A team as a member sees it: the team, and the member's role in it. */
export type TeamView = {
  id: string;
  name: string;
  slug: string;
  personal: boolean;
  role: TeamRole;
};

const teamView = {
  id: organization.id,
  name: organization.name,
  slug: organization.slug,
  personal: organization.personal,
  role: member.role,
};

/** No such team, or the caller is not in it: the two look the same. */
export class TeamNotFoundError extends AppError {
  constructor() {
    super("not-found", "No such team, or you are not a member of it.", { reason: "team-not-found" });
    this.name = "TeamNotFoundError";
  }
}

/** A member tried what their role does not allow. */
export class TeamForbiddenError extends AppError {
  constructor(message: string) {
    super("forbidden", message, { reason: "team-role" });
    this.name = "TeamForbiddenError";
  }
}

/** `Ann's Kitchen` → `anns-kitchen-k3x9qa`: words for people, a random tail so two teams named alike never clash. */
export function slugFor(name: string): string {
  const words = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  const tail = randomBytes(4)
    .toString("base64url")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 6);
  return `${words || "team"}-${tail.padEnd(6, "0")}`;
}

/** Creates a team with `ownerId` as its owner, in one transaction. */
export async function createTeam(
  db: Executor,
  { name, ownerId, personal = false }: { name: string; ownerId: string; personal?: boolean },
): Promise<TeamView> {
  return db.transaction(async (tx) => {
    const [team] = await tx
      .insert(organization)
      .values({ id: randomUUID(), name, slug: slugFor(name), personal })
      .returning();
    await tx.insert(member).values({ id: randomUUID(), organizationId: team!.id, userId: ownerId, role: "owner" });
    await recordAudit(tx, {
      teamId: team!.id,
      actor: await userActor(tx, ownerId),
      action: "team.created",
      target: { type: "team", id: team!.id },
      metadata: { name, personal },
    });
    return { id: team!.id, name: team!.name, slug: team!.slug, personal: team!.personal, role: "owner" };
  });
}

/** Every account's own team, made at sign-up: "Ann's recipes". */
export function createPersonalTeam(db: Executor, owner: { id: string; name: string }): Promise<TeamView> {
  const firstName = owner.name.trim().split(/\s+/)[0] || "My";
  return createTeam(db, { name: `${firstName}'s recipes`, ownerId: owner.id, personal: true });
}

/**
 * The team at /t/<slug> as `userId` sees it, or null when they are not a member: one query.
 * Memoized per server render, so a page and its layout ask once.
 */
export const teamForMember = cache(async function teamForMember(
  db: Executor,
  slug: string,
  userId: string,
): Promise<TeamView | null> {
  const [team] = await db
    .select(teamView)
    .from(organization)
    .innerJoin(member, and(eq(member.organizationId, organization.id), eq(member.userId, userId)))
    .where(eq(organization.slug, slug));
  return team ?? null;
});

/** The same, by id; `TeamNotFoundError` when the user is not a member. */
export async function requireMembership(db: Executor, teamId: string, userId: string): Promise<TeamView> {
  const [team] = await db
    .select(teamView)
    .from(organization)
    .innerJoin(member, and(eq(member.organizationId, organization.id), eq(member.userId, userId)))
    .where(eq(organization.id, teamId));
  if (!team) throw new TeamNotFoundError();
  return team;
}

/**
 * After a statement that authorized itself (`memberMay`) changed nothing: the team is not the
 * user's (not found), or their role does not allow it (forbidden, with `why`).
 */
export async function refusal(db: Executor, teamId: string, userId: string, why: string): Promise<AppError> {
  const [row] = await db
    .select({ role: member.role })
    .from(member)
    .where(and(eq(member.organizationId, teamId), eq(member.userId, userId)));
  return row ? new TeamForbiddenError(why) : new TeamNotFoundError();
}

/** Throws unless the member's role allows `permission` (for pages deciding what to show). */
export function requireRole(team: TeamView, permission: TeamPermission, why: string): void {
  if (!can(team.role, permission)) throw new TeamForbiddenError(why);
}

/** The user's teams for the switcher: their personal team first, then by name. */
export async function listTeamsOf(db: Executor, userId: string): Promise<TeamView[]> {
  return db
    .select(teamView)
    .from(organization)
    .innerJoin(member, eq(member.organizationId, organization.id))
    .where(eq(member.userId, userId))
    .orderBy(desc(organization.personal), asc(organization.name));
}

/** The ids of the user's teams: whose events their open pages hear. */
export async function listTeamIdsOf(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.select({ id: member.organizationId }).from(member).where(eq(member.userId, userId));
  return rows.map((row) => row.id);
}

/** The user's personal team (every account has one from sign-up). */
export async function personalTeamOf(db: Executor, userId: string): Promise<TeamView | null> {
  const [team] = await db
    .select(teamView)
    .from(organization)
    .innerJoin(member, and(eq(member.organizationId, organization.id), eq(member.userId, userId)))
    .where(eq(organization.personal, true))
    .limit(1);
  return team ?? null;
}

/** Renames a team (owners and admins), authorized in the update itself. */
export async function renameTeam(db: Executor, teamId: string, userId: string, name: string): Promise<void> {
  const renamed = await db
    .update(organization)
    .set({ name })
    .where(and(eq(organization.id, teamId), memberMay(organization.id, userId, "team:rename")))
    .returning({ id: organization.id });
  if (!renamed.length) throw await refusal(db, teamId, userId, "Only the team's owners and admins can rename it.");
}

/** The (non-personal) teams whose only owner is `userId`: before their account goes, they hand them on or delete them. */
export async function teamsOnlyOwnedBy(db: Executor, userId: string): Promise<TeamView[]> {
  const owned = await db
    .select(teamView)
    .from(organization)
    .innerJoin(member, and(eq(member.organizationId, organization.id), eq(member.userId, userId)))
    .where(and(eq(member.role, "owner"), eq(organization.personal, false)));
  if (!owned.length) return [];
  const owners = await db
    .select({ teamId: member.organizationId })
    .from(member)
    .where(
      and(
        inArray(
          member.organizationId,
          owned.map((team) => team.id),
        ),
        eq(member.role, "owner"),
      ),
    );
  const ownerCount = new Map<string, number>();
  for (const { teamId } of owners) ownerCount.set(teamId, (ownerCount.get(teamId) ?? 0) + 1);
  return owned.filter((team) => ownerCount.get(team.id) === 1);
}

/**
 * Deletes a team (its owner only; a personal team goes with its account). A team still on Pro is
 * refused until its subscription ends, so nobody is charged for a team that is gone. The photos'
 * objects go first (a failure stops before the database, and a retry finishes), then the team row,
 * whose cascade takes its members, invitations, recipes and usage.
 */
export async function deleteTeam(db: Executor, teamId: string, userId: string): Promise<void> {
  const team = await requireMembership(db, teamId, userId);
  if (!can(team.role, "team:delete")) throw new TeamForbiddenError("Only the team's owner can delete it.");
  if (team.personal)
    throw new AppError("conflict", "Your personal team goes with your account: delete the account instead.", {
      reason: "personal-team",
    });
  if ((await getTeamPlan(db, team.id)).plan.id === "pro")
    throw new AppError(
      "conflict",
      "This team is on Pro: cancel its subscription (Manage billing) first; it can be deleted once that ends.",
      { reason: "subscription-live" },
    );
  await deleteTeamUploads(db, team.id);
  const deleted = await db
    .delete(organization)
    .where(and(eq(organization.id, team.id), memberMay(organization.id, userId, "team:delete")))
    .returning({ id: organization.id });
  if (!deleted.length) throw await refusal(db, team.id, userId, "Only the team's owner can delete it.");
}
