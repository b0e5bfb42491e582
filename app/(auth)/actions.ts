"use server";

import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { validatedAction } from "@/lib/actions";
import { authServer } from "@/lib/auth";
import { magicLinkInput, signInInput, signUpInput } from "@/lib/auth-schema";
import { db, pingDatabase } from "@/lib/db";
import { resendConfigured } from "@/lib/resend";

// Better Auth reports expected failures (wrong password, too many attempts) as APIError: show its message.
async function authError(error: unknown, values: Record<string, string>) {
  if (error instanceof APIError) return { error: error.body?.message ?? error.message, values };
  if (!(await pingDatabase(db)))
    return { error: "Sign-in is unavailable for a moment. Please try again shortly.", values };
  throw error;
}

export const signInAction = validatedAction(signInInput, async ({ email, password, next }) => {
  try {
    await authServer.api.signInEmail({ body: { email, password }, headers: await headers() });
  } catch (error) {
    return authError(error, { email });
  }
  redirect(next);
});

export const signUpAction = validatedAction(signUpInput, async ({ name, email, password, next }) => {
  try {
    await authServer.api.signUpEmail({ body: { name, email, password }, headers: await headers() });
  } catch (error) {
    return authError(error, { name, email });
  }
  redirect(next);
});

export const sendMagicLinkAction = validatedAction(magicLinkInput, async ({ email, next }) => {
  try {
    await authServer.api.signInMagicLink({ body: { email, callbackURL: next }, headers: await headers() });
  } catch (error) {
    return authError(error, { email });
  }
  const where = resendConfigured
    ? "Check your inbox"
    : "Email is not configured, so it is in the dev outbox at /dev/emails";
  return { ok: true, message: `${where}: we sent a sign-in link to ${email}. It expires in 5 minutes.` };
});

export async function signOutAction() {
  await authServer.api.signOut({ headers: await headers() });
  redirect("/");
}
