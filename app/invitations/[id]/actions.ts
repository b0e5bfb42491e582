"use server";

import { redirect } from "next/navigation";
import { validatedActionWithUser } from "@/lib/actions";
import { db } from "@/lib/db";
import { acceptInvitation, declineInvitation } from "@/lib/teams";
import { answerInvitationInput } from "@/lib/teams/schema";

/** Joins the team (only as the invited, confirmed address, while it has a seat) and opens it. */
export const acceptInvitationAction = validatedActionWithUser(answerInvitationInput, async ({ invitationId }, user) => {
  const { teamSlug } = await acceptInvitation(db, invitationId, user.id);
  redirect(`/t/${teamSlug}`);
});

export const declineInvitationAction = validatedActionWithUser(
  answerInvitationInput,
  async ({ invitationId }, user) => {
    await declineInvitation(db, invitationId, user.id);
    return { ok: true, message: "Invitation declined. You can close this page." };
  },
);
