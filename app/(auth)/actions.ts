"use server";

import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { validatedAction, validatedActionWithUser } from "@/lib/actions";
import { auth, PASSWORD_RESET_ANSWER_MS, whyAuthUnavailable, withProofOfWork } from "@/lib/auth";
import {
  forgotPasswordInput,
  magicLinkInput,
  oauthSignInInput,
  resetPasswordInput,
  signInInput,
  signUpInput,
} from "@/lib/auth/schema";
import { resendConfigured } from "@/lib/email/resend";
import { waitUntil } from "@/lib/core/timing";

// Better Auth reports expected failures (wrong password, too many attempts) as APIError: show its message.
async function authError(error: unknown, values: Record<string, string>) {
  if (error instanceof APIError) {
    const message = error.body?.message ?? error.message;
    // Past a ceiling without a (valid, unused) proof of work: the form's widget solves a new one.
    if (error.body?.code === "CHALLENGE_REQUIRED")
      return {
        error: `${message} It is working on that now: press the button again in a moment.`,
        values,
        challenge: true,
      };
    return { error: message, values };
  }
  const unavailable = await whyAuthUnavailable();
  if (unavailable) return { error: unavailable, values };
  throw error;
}

export const signInAction = validatedAction(signInInput, async ({ email, password, next, altcha }) => {
  try {
    await auth.api.signInEmail({ body: { email, password }, headers: withProofOfWork(await headers(), altcha) });
  } catch (error) {
    return authError(error, { email });
  }
  redirect(next);
});

// The same answer whether or not the address already has an account: the email we send says which it was.
export const signUpAction = validatedAction(signUpInput, async ({ name, email, password, next, altcha }) => {
  try {
    await auth.api.signUpEmail({
      body: { name, email, password, callbackURL: next },
      headers: withProofOfWork(await headers(), altcha),
    });
  } catch (error) {
    return authError(error, { name, email });
  }
  return { ok: true, message: `We sent an email to ${email}: open the link in it to finish signing up.` };
});

export const sendMagicLinkAction = validatedAction(magicLinkInput, async ({ email, next, altcha }) => {
  try {
    await auth.api.signInMagicLink({
      body: { email, callbackURL: next },
      headers: withProofOfWork(await headers(), altcha),
    });
  } catch (error) {
    return authError(error, { email });
  }
  // Without Resend the form links the dev outbox, where the email is (MagicLinkForm's `devOutbox`).
  const where = resendConfigured ? "Check your inbox: we" : "We";
  return { ok: true, message: `${where} sent a sign-in link to ${email}. It expires in 5 minutes.` };
});

export const requestPasswordResetAction = validatedAction(forgotPasswordInput, async ({ email, altcha }) => {
  // At one pace for every address (PASSWORD_RESET_ANSWER_MS), as /api/auth/request-password-reset answers.
  const answerAt = Date.now() + PASSWORD_RESET_ANSWER_MS;
  try {
    // Better Auth's link checks the token, then sends the browser to /reset-password?token=… (or ?error=INVALID_TOKEN).
    await auth.api.requestPasswordReset({
      body: { email, redirectTo: "/reset-password" },
      headers: withProofOfWork(await headers(), altcha),
    });
  } catch (error) {
    return authError(error, { email });
  } finally {
    await waitUntil(answerAt);
  }
  return {
    ok: true,
    message: `If ${email} has a Recipe Box account, we sent it a link to choose a new password. The link works for an hour.`,
  };
});

export const resetPasswordAction = validatedAction(resetPasswordInput, async ({ token, password }) => {
  try {
    await auth.api.resetPassword({ body: { token, newPassword: password }, headers: await headers() });
  } catch (error) {
    if (error instanceof APIError && error.body?.code === "INVALID_TOKEN")
      return { error: "This reset link has expired or was already used. Ask for a new one below." };
    return authError(error, {});
  }
  // Every session of the account has just ended, this browser's too: sign in with the new password.
  redirect("/sign-in?reset=done");
});

/** "Continue with GitHub/Google": off to the provider, which comes back to /api/auth/callback/<provider>. */
export const signInWithProviderAction = validatedAction(oauthSignInInput, async ({ provider, next }) => {
  let url: string | undefined;
  try {
    const answer = await auth.api.signInSocial({
      // Better Auth's failures (e.g. an address whose account is not confirmed) come back to /sign-in?error=….
      body: { provider, callbackURL: next, errorCallbackURL: "/sign-in" },
      headers: await headers(),
    });
    url = answer.url;
  } catch (error) {
    return authError(error, {});
  }
  if (!url) return { error: "That sign-in provider is not available right now. Please try another way." };
  redirect(url);
});

/** The banner's "Resend the email": a new confirmation link to the signed-in cook's own address. */
export const resendVerificationEmailAction = validatedActionWithUser(z.object({}), async (_, user) => {
  if (user.emailVerified) return { ok: true, message: "Your email address is already confirmed." };
  try {
    // Rate-limited like every request that sends an email (lib/auth/config.ts): per address, per client IP, and overall.
    await auth.api.sendVerificationEmail({
      body: { email: user.email, callbackURL: "/dashboard" },
      headers: await headers(),
    });
  } catch (error) {
    return authError(error, {});
  }
  return { ok: true, message: `We sent a new confirmation link to ${user.email}.` };
});

export async function signOutAction() {
  await auth.api.signOut({ headers: await headers() });
  redirect("/");
}
