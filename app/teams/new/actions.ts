"use server";

import { redirect } from "next/navigation";
import { validatedActionWithUser } from "@/lib/actions";
import { db } from "@/lib/db";
import { createTeam } from "@/lib/teams";
import { createTeamInput } from "@/lib/teams/schema";

/** A new team with the signed-in user as its owner; then to its members page to invite people. */
export const createTeamAction = validatedActionWithUser(createTeamInput, async ({ name }, user) => {
  const team = await createTeam(db, { name, ownerId: user.id });
  redirect(`/t/${team.slug}/members`);
});
