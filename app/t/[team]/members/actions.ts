"use server";

import { revalidatePath } from "next/cache";
import { validatedActionWithUser } from "@/lib/actions";
import { db } from "@/lib/db";
import { changeMemberRole, inviteMember, removeMember, requireMembership, revokeInvitation } from "@/lib/teams";
import { changeRoleInput, invitationRef, inviteInput, memberRef } from "@/lib/teams/schema";

// Each form names its team; lib/teams checks the caller's role inside the transaction that changes the team.

async function refresh(teamId: string, userId: string) {
  revalidatePath(`/t/${(await requireMembership(db, teamId, userId)).slug}/members`);
}

export const inviteAction = validatedActionWithUser(inviteInput, async ({ teamId, email, role }, user) => {
  await inviteMember(db, { teamId, inviterId: user.id, email, role });
  await refresh(teamId, user.id);
  return { ok: true, message: `Invitation sent to ${email}. The link works for 48 hours.` };
});

export const revokeInvitationAction = validatedActionWithUser(invitationRef, async ({ teamId, invitationId }, user) => {
  await revokeInvitation(db, { teamId, actorId: user.id, invitationId });
  await refresh(teamId, user.id);
  return { ok: true, message: "Invitation withdrawn: its link no longer works." };
});

export const changeRoleAction = validatedActionWithUser(changeRoleInput, async ({ teamId, memberId, role }, user) => {
  await changeMemberRole(db, { teamId, actorId: user.id, memberId, role });
  await refresh(teamId, user.id);
  return { ok: true, message: "Role changed." };
});

export const removeMemberAction = validatedActionWithUser(memberRef, async ({ teamId, memberId }, user) => {
  await removeMember(db, { teamId, actorId: user.id, memberId });
  await refresh(teamId, user.id);
  return { ok: true, message: "Removed from the team: their next request is refused." };
});
