"use server";

import { APIError } from "better-auth/api";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { confirmAccountOwner, deleteAccount, revokeOtherSessions, revokeSession } from "@/lib/account";
import { deleteAccountInput, emailInput, nameInput, passwordInput, sessionInput } from "@/lib/account/schema";
import { validatedActionWithUser } from "@/lib/actions";
import { auth } from "@/lib/auth";
import { db } from "@/lib/db";
import { PUBLISHED_LIST_PATH } from "@/lib/recipes";

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

export const changePasswordAction = validatedActionWithUser(passwordInput, async (input) => {
  // Better Auth's hooks (lib/auth/config.ts) do the rest on every path: the typed password counts against the
  // account's limit, every other session ends, older reset links are voided and the notice is sent.
  try {
    await auth.api.changePassword({ body: { ...input, revokeOtherSessions: true }, headers: await headers() });
  } catch (error) {
    if (error instanceof APIError && error.body?.code === "INVALID_PASSWORD")
      return { fieldErrors: { currentPassword: ["That is not your current password."] } };
    if (error instanceof APIError) return { error: error.body?.message ?? error.message };
    throw error;
  }
  // Better Auth replaced this browser's session cookie too: the page re-renders with it (lib/auth/session.ts).
  revalidatePath("/account");
  return { ok: true, message: "Password changed; your other sessions were signed out." };
});

export const revokeSessionAction = validatedActionWithUser(sessionInput, async ({ sessionId }, user, current) => {
  if (sessionId === current.session.id) return { error: "To end this session, sign out." };
  const ended = await revokeSession(db, user.id, sessionId);
  revalidatePath("/account");
  return ended ? { ok: true, message: "That session is signed out." } : { error: "That session has already ended." };
});

export const revokeOtherSessionsAction = validatedActionWithUser(
  sessionInput.partial(),
  async (_input, user, current) => {
    const ended = await revokeOtherSessions(db, user.id, current.session.id);
    revalidatePath("/account");
    return {
      ok: true,
      message: ended === 1 ? "1 other session is signed out." : `${ended} other sessions are signed out.`,
    };
  },
);

export const deleteAccountAction = validatedActionWithUser(deleteAccountInput, async ({ password }, user, current) => {
  await confirmAccountOwner(db, { ...current.session, email: user.email }, password || undefined);
  // Stripe or the bucket failing stops the deletion before the database: the form says so (AccountDeletionError).
  await deleteAccount(db, user.id);
  // Published recipes leave the landing page now; the session row is gone, this clears its cookie.
  revalidatePath(PUBLISHED_LIST_PATH);
  await auth.api.signOut({ headers: await headers() });
  redirect("/goodbye");
});
