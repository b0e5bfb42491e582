"use server";

import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { validatedAction } from "@/lib/actions";
import type { ActionState } from "@/lib/actions-state";
import { authServer } from "@/lib/auth";
import { magicLinkInput, signInInput, signUpInput } from "@/lib/auth-schema";
import { env } from "@/lib/env";
import { runAfterResponse } from "@/lib/jobs/after";
import { clientIp, limiters } from "@/lib/ratelimit";

/** Sign-in, sign-up and magic-link requests share one limit per client IP, against password guessing and email floods. */
async function refuseWhenRateLimited(values: Record<string, string>): Promise<ActionState | null> {
  const result = await limiters.auth.limit(clientIp(await headers()));
  runAfterResponse(async () => void (await result.pending));
  if (result.success) return null;
  const seconds = Math.max(1, Math.ceil((result.reset - Date.now()) / 1000));
  return { error: `Too many attempts. Please try again in ${seconds} seconds.`, values };
}

// Better Auth reports expected failures (wrong password, taken email) as APIError: show its message.
function authError(error: unknown, values: Record<string, string>) {
  if (error instanceof APIError) return { error: error.body?.message ?? error.message, values };
  throw error;
}

export const signInAction = validatedAction(signInInput, async ({ email, password, next }) => {
  const limited = await refuseWhenRateLimited({ email });
  if (limited) return limited;
  try {
    await authServer.api.signInEmail({ body: { email, password }, headers: await headers() });
  } catch (error) {
    return authError(error, { email });
  }
  redirect(next);
});

export const signUpAction = validatedAction(signUpInput, async ({ name, email, password, next }) => {
  const limited = await refuseWhenRateLimited({ name, email });
  if (limited) return limited;
  try {
    await authServer.api.signUpEmail({ body: { name, email, password }, headers: await headers() });
  } catch (error) {
    return authError(error, { name, email });
  }
  redirect(next);
});

export const sendMagicLinkAction = validatedAction(magicLinkInput, async ({ email, next }) => {
  const limited = await refuseWhenRateLimited({ email });
  if (limited) return limited;
  try {
    await authServer.api.signInMagicLink({ body: { email, callbackURL: next }, headers: await headers() });
  } catch (error) {
    return authError(error, { email });
  }
  const where = env.RESEND_API_KEY ? "Check your inbox" : "Email is not configured, so it is in the dev outbox at /dev/emails";
  return { ok: true, message: `${where}: we sent a sign-in link to ${email}. It expires in 5 minutes.` };
});

export async function signOutAction() {
  await authServer.api.signOut({ headers: await headers() });
  redirect("/");
}
