import { z } from "zod";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "@/lib/core/text";
import { returnPathOr } from "@/lib/http/return-path";

/** A person's name, as every path stores it: the sign-up form, /account, and Better Auth's own endpoints. */
export const personName = z
  .string({ error: "Tell us your name." })
  .trim()
  .min(1, { error: "Tell us your name." })
  .max(80, { error: "Use at most 80 characters." })
  .refine(isStorableText, { error: UNSTORABLE_TEXT_MESSAGE });

/** The length a new password must have: these forms and Better Auth's own endpoints (lib/auth/config.ts) agree. */
export const PASSWORD_LENGTH = { min: 8, max: 128 } as const;

/** A password being set: at sign-up, by a reset link, or on /account. */
export const newPassword = z
  .string()
  .min(PASSWORD_LENGTH.min, { error: `Use at least ${PASSWORD_LENGTH.min} characters.` })
  .max(PASSWORD_LENGTH.max, { error: `Use at most ${PASSWORD_LENGTH.max} characters.` });

/** An email address typed into a form. */
export const emailAddress = z.email({ error: "Enter a valid email address." });

/** Where to go after signing in: a path on this site, or the dashboard. */
const nextPath = z
  .string()
  .optional()
  .transform((value) => returnPathOr(value, "/dashboard"));

/**
 * The proof of work the form's widget solved (ALTCHA's base64 payload), if it did: what gets a request
 * past a global ceiling while a flood is refused (lib/ratelimit/ceiling.ts). Absent without JavaScript.
 */
const proofOfWork = z.string().max(4096).optional();

export const signInInput = z.object({
  email: emailAddress,
  password: z.string().min(1, { error: "Enter your password." }),
  next: nextPath,
  altcha: proofOfWork,
});

export const signUpInput = z.object({
  name: personName,
  email: emailAddress,
  password: newPassword,
  next: nextPath,
  altcha: proofOfWork,
});

export const magicLinkInput = z.object({
  email: emailAddress,
  next: nextPath,
  altcha: proofOfWork,
});

export const forgotPasswordInput = z.object({
  email: emailAddress,
  altcha: proofOfWork,
});

export const resetPasswordInput = z.object({
  token: z.string().min(1, { error: "This reset link is incomplete: ask for a new one." }),
  password: newPassword,
});

/** The OAuth providers the app knows; lib/core/env.ts says which are configured. */
export const oauthProviders = ["github", "google"] as const;
export type OAuthProvider = (typeof oauthProviders)[number];

export const oauthSignInInput = z.object({
  provider: z.enum(oauthProviders),
  next: nextPath,
});
