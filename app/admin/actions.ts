"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { banUser, startImpersonating, unbanUser, validatedOperatorAction } from "@/lib/admin";
import { banInput, userRef } from "@/lib/admin/schema";
import { db } from "@/lib/db";

// Every action starts with requireOperator (validatedOperatorAction): a 404 for anyone else, before the form is read.

export const banAction = validatedOperatorAction(banInput, async ({ userId, reason }, operator) => {
  const { sessionsEnded } = await banUser(db, { operator, userId, reason });
  revalidatePath(`/admin/users/${userId}`);
  const ended = sessionsEnded === 1 ? "1 session ended" : `${sessionsEnded} sessions ended`;
  return { ok: true, message: `Banned: ${ended}, and signing in is refused until you lift the ban.` };
});

export const unbanAction = validatedOperatorAction(userRef, async ({ userId }, operator) => {
  await unbanUser(db, { operator, userId });
  revalidatePath(`/admin/users/${userId}`);
  return { ok: true, message: "Ban lifted: they can sign in again." };
});

export const impersonateAction = validatedOperatorAction(userRef, async ({ userId }, operator) => {
  await startImpersonating(db, { operator, userId });
  redirect("/dashboard");
});
