"use server";

import { APIError } from "better-auth/api";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { confirmAccountOwner } from "@/lib/account/confirm";
import { AccountDeletionError, deleteAccount } from "@/lib/account/delete";
import { deleteAccountInput, emailInput, nameInput, passwordInput, sessionInput } from "@/lib/account/schema";
import { revokeOtherSessions, revokeSession } from "@/lib/account/sessions";
import { validatedActionWithUser } from "@/lib/actions";
import { auth, getSession } from "@/lib/auth";
import { db } from "@/lib/db";
import { sendEmail } from "@/lib/email";
import { env } from "@/lib/env";
import { runAfterResponse } from "@/lib/jobs/after";
import { limiters } from "@/lib/ratelimit";
import { PUBLISHED_LIST_PATH } from "@/lib/recipes";

/** The current session's row (its id and when it began), for the actions that act on sessions. */
async function currentSession() {
  const session = await getSession();
  if (!session) throw new Error("the wrapper checked the session");
  return session.session;
}

/**
 * A password typed on this page counts against the same per-account limit as sign-in attempts, so a
 * stolen session cannot guess the password here instead. Null when allowed, else the message.
 */
async function limitPasswordChecks(userId: string) {
  const result = await limiters.auth.limit(`password-check:${userId}`);
  runAfterResponse(async () => void (await result.pending));
  if (result.success) return null;
  const seconds = Math.max(1, Math.ceil((result.reset - Date.now()) / 1000));
  return { error: `Too many attempts. Please try again in ${seconds} seconds.` };
}

export const updateNameAction = validatedActionWithUser(nameInput, async ({ name }) => {
  await auth.api.updateUser({ body: { name }, headers: await headers() });
  revalidatePath("/account");
  return { ok: true, message: "Your name is saved.", values: { name } };
});

export const changeEmailAction = validatedActionWithUser(emailInput, async ({ email }, user) => {
  if (email.toLowerCase() === user.email) return { error: "That is already your email address.", values: { email } };
  await auth.api.changeEmail({ body: { newEmail: email, callbackURL: "/account" }, headers: await headers() });
  // The same answer whether or not the new address belongs to another account (Better Auth sends nothing then).
  return {
    ok: true,
    message: `To make sure it is you, we sent a link to ${user.email}. Open it, then confirm from ${email}.`,
  };
});

export const changePasswordAction = validatedActionWithUser(passwordInput, async (input, user) => {
  const limited = await limitPasswordChecks(user.id);
  if (limited) return limited;
  try {
    // Every other session ends: whoever knew the old password is signed out everywhere but here.
    await auth.api.changePassword({ body: { ...input, revokeOtherSessions: true }, headers: await headers() });
  } catch (error) {
    if (error instanceof APIError && error.body?.code === "INVALID_PASSWORD")
      return { fieldErrors: { currentPassword: ["That is not your current password."] } };
    if (error instanceof APIError) return { error: error.body?.message ?? error.message };
    throw error;
  }
  await sendEmail(db, {
    to: user.email,
    template: "password-changed",
    props: { name: user.name, accountUrl: `${env.appUrl}/account` },
  });
  revalidatePath("/account");
  return { ok: true, message: "Your password is changed, and your other sessions are signed out." };
});

export const revokeSessionAction = validatedActionWithUser(sessionInput, async ({ sessionId }, user) => {
  if (sessionId === (await currentSession()).id) return { error: "To end this session, sign out." };
  const ended = await revokeSession(db, user.id, sessionId);
  revalidatePath("/account");
  return ended ? { ok: true, message: "That session is signed out." } : { error: "That session has already ended." };
});

export const revokeOtherSessionsAction = validatedActionWithUser(sessionInput.partial(), async (_input, user) => {
  const ended = await revokeOtherSessions(db, user.id, (await currentSession()).id);
  revalidatePath("/account");
  return {
    ok: true,
    message: ended === 1 ? "1 other session is signed out." : `${ended} other sessions are signed out.`,
  };
});

export const deleteAccountAction = validatedActionWithUser(deleteAccountInput, async ({ password }, user) => {
  const session = await currentSession();
  if (password) {
    const limited = await limitPasswordChecks(user.id);
    if (limited) return limited;
  }
  const check = await confirmAccountOwner(db, session, password || undefined);
  if (check === "wrong-password") return { fieldErrors: { password: ["That is not your password."] } };
  if (check === "sign-in-again")
    return { fieldErrors: { password: ["Enter your password, or sign in again and delete within 10 minutes."] } };
  try {
    await deleteAccount(db, user.id);
  } catch (error) {
    if (error instanceof AccountDeletionError)
      return { error: `${error.message}. Your account is not deleted; please try again in a few minutes.` };
    throw error;
  }
  // Published recipes leave the landing page now; the session row is gone, this clears its cookie.
  revalidatePath(PUBLISHED_LIST_PATH);
  await auth.api.signOut({ headers: await headers() });
  redirect("/goodbye");
});
