import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, asc, eq, gt } from "drizzle-orm";
import { countMembers, getTeamPlan } from "@/lib/billing/plans";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { recordAudit, userActor } from "@/lib/audit";
import { schema, transaction, type Executor } from "@/lib/db";
import type { TeamRole } from "@/lib/db/schema";
import { normalizeAddress, sendEmail } from "@/lib/email";
import { changeMembership, membersChanged } from "./members";
import { can } from "./roles";
import { TeamForbiddenError } from "./teams";

const { invitation, member, organization, user } = schema;

/** How long an invitation link works. */
export const INVITATION_LIFETIME_MS = 48 * 60 * 60 * 1000;

export const invitationPath = (id: string) => `/invitations/${id}`;

/**
 * How the audit log names an invitation: its id is the link's secret, so the log keeps a digest of
 * it (the same for the invite and the join), never the id itself.
 */
export const invitationRef = (id: string) => createHash("sha256").update(id).digest("hex").slice(0, 24);

/** What gone, expired and never-existing invitations all say: the link is no use any more. */
class InvitationGoneError extends AppError {
  constructor() {
    super("not-found", "This invitation has expired, was withdrawn, or was already answered.", {
      reason: "invitation-gone",
    });
    this.name = "InvitationGoneError";
  }
}

/**
 * Invites an address to the team as `role` (owners and admins; only an owner invites an owner).
 * An earlier pending invitation to the same address is withdrawn, so one link works at a time. The
 * invitation email goes through the pipeline, queued in the same transaction.
 */
export async function inviteMember(
  db: Executor,
  { teamId, inviterId, email, role }: { teamId: string; inviterId: string; email: string; role: TeamRole },
): Promise<{ id: string }> {
  return changeMembership(db, teamId, inviterId, async (tx, { team, actor, afterCommit }) => {
    if (team.personal)
      throw new AppError("conflict", "Your personal team is yours alone: create a team to invite people.", {
        reason: "personal-team",
      });
    if (!can(actor.role, "members:manage"))
      throw new TeamForbiddenError("Only the team's owners and admins can invite people.");
    if (role === "owner" && actor.role !== "owner") throw new TeamForbiddenError("Only an owner can invite an owner.");
    const address = normalizeAddress(email);
    const [existing] = await tx
      .select({ id: member.id })
      .from(member)
      .innerJoin(user, eq(user.id, member.userId))
      .where(and(eq(member.organizationId, teamId), eq(user.email, address)));
    if (existing)
      throw new AppError("conflict", "That address already belongs to a member of this team.", {
        reason: "already-member",
        field: "email",
      });
    await tx
      .update(invitation)
      .set({ status: "canceled" })
      .where(
        and(eq(invitation.organizationId, teamId), eq(invitation.email, address), eq(invitation.status, "pending")),
      );
    const id = randomBytes(24).toString("base64url");
    await tx.insert(invitation).values({
      id,
      organizationId: teamId,
      email: address,
      role,
      expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS),
      inviterId,
    });
    const [names] = await tx
      .select({ teamName: organization.name, inviterName: user.name })
      .from(organization)
      .innerJoin(user, eq(user.id, inviterId))
      .where(eq(organization.id, teamId));
    await sendEmail(
      tx,
      {
        to: address,
        template: "team-invitation",
        props: { ...names!, role, url: `${env.appUrl}${invitationPath(id)}` },
      },
      { afterCommit },
    );
    await recordAudit(tx, {
      teamId,
      actor: await userActor(tx, inviterId),
      action: "team.member_invited",
      target: { type: "invitation", id: invitationRef(id) },
      metadata: { email: address, role },
    });
    return { id };
  });
}

export type PendingInvitation = { id: string; email: string; role: TeamRole; expiresAt: Date; invitedBy: string };

/** The team's invitations still waiting for an answer, oldest first. */
export function listPendingInvitations(db: Executor, teamId: string): Promise<PendingInvitation[]> {
  return db
    .select({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt,
      invitedBy: user.name,
    })
    .from(invitation)
    .innerJoin(user, eq(user.id, invitation.inviterId))
    .where(
      and(
        eq(invitation.organizationId, teamId),
        eq(invitation.status, "pending"),
        gt(invitation.expiresAt, new Date()),
      ),
    )
    .orderBy(asc(invitation.createdAt));
}

/** Withdraws a pending invitation (owners and admins): its link stops working. */
export async function revokeInvitation(
  db: Executor,
  { teamId, actorId, invitationId }: { teamId: string; actorId: string; invitationId: string },
): Promise<void> {
  await changeMembership(db, teamId, actorId, async (tx, { actor }) => {
    if (!can(actor.role, "members:manage"))
      throw new TeamForbiddenError("Only the team's owners and admins can withdraw invitations.");
    const revoked = await tx
      .update(invitation)
      .set({ status: "canceled" })
      .where(
        and(eq(invitation.id, invitationId), eq(invitation.organizationId, teamId), eq(invitation.status, "pending")),
      )
      .returning({ id: invitation.id });
    if (!revoked.length) throw new InvitationGoneError();
  });
}

export type InvitationLink = {
  id: string;
  email: string;
  role: TeamRole;
  teamName: string;
  teamSlug: string;
  inviterName: string;
  /** Whether the link can still be accepted. */
  open: boolean;
};

/** What the invitation page shows: anyone holding the link may see whom it invites where. */
export async function invitationForLink(db: Executor, id: string): Promise<InvitationLink | null> {
  const [row] = await db
    .select({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      status: invitation.status,
      expiresAt: invitation.expiresAt,
      teamName: organization.name,
      teamSlug: organization.slug,
      inviterName: user.name,
    })
    .from(invitation)
    .innerJoin(organization, eq(organization.id, invitation.organizationId))
    .innerJoin(user, eq(user.id, invitation.inviterId))
    .where(eq(invitation.id, id));
  if (!row) return null;
  const { status, expiresAt, ...link } = row;
  return { ...link, open: status === "pending" && expiresAt.getTime() > Date.now() };
}

/** The invitation, locked for this transaction, as its recipient `userId` may answer it. */
async function invitationFor(tx: Executor, id: string, userId: string) {
  const [found] = await tx
    .select()
    .from(invitation)
    .where(and(eq(invitation.id, id), eq(invitation.status, "pending"), gt(invitation.expiresAt, new Date())))
    .for("update");
  if (!found) throw new InvitationGoneError();
  const [recipient] = await tx
    .select({ email: user.email, emailVerified: user.emailVerified })
    .from(user)
    .where(eq(user.id, userId));
  if (!recipient || normalizeAddress(recipient.email) !== found.email)
    throw new AppError("forbidden", "This invitation is for another email address. Sign in with that address.", {
      reason: "not-the-recipient",
    });
  return { found, recipient };
}

/**
 * Accepts an invitation as the signed-in `userId`: only an account whose confirmed address is the
 * invited one may, and only while the team has a seat left on its plan. The team's row is locked
 * first, so accepts that arrive together take the last seats one at a time. Returns the team's slug.
 */
export async function acceptInvitation(db: Executor, id: string, userId: string): Promise<{ teamSlug: string }> {
  return transaction(db, async (tx, afterCommit) => {
    const { found, recipient } = await invitationFor(tx, id, userId);
    if (!recipient.emailVerified)
      throw new AppError("forbidden", "Confirm your email address first: open the link we emailed you, then accept.", {
        reason: "email-not-verified",
      });
    const [team] = await tx
      .select({ id: organization.id, slug: organization.slug })
      .from(organization)
      .where(eq(organization.id, found.organizationId))
      .for("update");
    if (!team) throw new InvitationGoneError();
    const seatsTaken = await countMembers(tx, team.id);
    const { plan } = await getTeamPlan(tx, team.id);
    const [already] = await tx
      .select({ id: member.id })
      .from(member)
      .where(and(eq(member.organizationId, team.id), eq(member.userId, userId)));
    if (!already && seatsTaken >= plan.memberLimit)
      throw new AppError(
        "limit-reached",
        `This team has all ${plan.memberLimit} members the ${plan.name} plan holds. Ask its owner to upgrade, or to free a seat.`,
        { reason: "team-full", details: { memberLimit: plan.memberLimit } },
      );
    await tx.update(invitation).set({ status: "accepted" }).where(eq(invitation.id, found.id));
    if (!already) {
      await tx.insert(member).values({ id: randomUUID(), organizationId: team.id, userId, role: found.role });
      await membersChanged(tx, team.id, { userId, change: "added" }, afterCommit);
      await recordAudit(tx, {
        teamId: team.id,
        actor: await userActor(tx, userId),
        action: "team.member_joined",
        target: { type: "user", id: userId },
        metadata: { role: found.role, invitation: invitationRef(found.id) },
      });
    }
    return { teamSlug: team.slug };
  });
}

/** Declines an invitation as its recipient: the link stops working and nobody joins. */
export async function declineInvitation(db: Executor, id: string, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { found } = await invitationFor(tx, id, userId);
    await tx.update(invitation).set({ status: "rejected" }).where(eq(invitation.id, found.id));
  });
}
