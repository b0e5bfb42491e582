"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { validatedActionWithUser } from "@/lib/actions";
import { db } from "@/lib/db";
import { deleteTeam, leaveTeam, renameTeam, requireMembership, transferOwnership } from "@/lib/teams";
import { memberRef, renameTeamInput, teamRef } from "@/lib/teams/schema";

export const renameTeamAction = validatedActionWithUser(renameTeamInput, async ({ teamId, name }, user) => {
  await renameTeam(db, teamId, user.id, name);
  const team = await requireMembership(db, teamId, user.id);
  revalidatePath(`/t/${team.slug}`, "layout");
  return { ok: true, message: "The team's name is saved.", values: { name } };
});

export const transferOwnershipAction = validatedActionWithUser(memberRef, async ({ teamId, memberId }, user) => {
  await transferOwnership(db, { teamId, ownerId: user.id, memberId });
  const team = await requireMembership(db, teamId, user.id);
  revalidatePath(`/t/${team.slug}`, "layout");
  return { ok: true, message: "Ownership handed on: you are an admin now." };
});

export const leaveTeamAction = validatedActionWithUser(teamRef, async ({ teamId }, user) => {
  await leaveTeam(db, teamId, user.id);
  redirect("/dashboard");
});

export const deleteTeamAction = validatedActionWithUser(teamRef, async ({ teamId }, user) => {
  await deleteTeam(db, teamId, user.id);
  redirect("/dashboard");
});
