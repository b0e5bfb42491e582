import { z } from "zod";
import { returnPathOr } from "@/lib/return-path";

/** Where to go after signing in: a path on this site, or the dashboard. */
const nextPath = z
  .string()
  .optional()
  .transform((value) => returnPathOr(value, "/dashboard"));

export const signInInput = z.object({
  email: z.email({ error: "Enter a valid email address." }),
  password: z.string().min(1, { error: "Enter your password." }),
  next: nextPath,
});

export const signUpInput = z.object({
  name: z.string().trim().min(1, { error: "Tell us your name." }).max(80),
  email: z.email({ error: "Enter a valid email address." }),
  password: z
    .string()
    .min(8, { error: "Use at least 8 characters." })
    .max(128, { error: "Use at most 128 characters." }),
  next: nextPath,
});

export const magicLinkInput = z.object({
  email: z.email({ error: "Enter a valid email address." }),
  next: nextPath,
});

export const forgotPasswordInput = z.object({
  email: z.email({ error: "Enter a valid email address." }),
});

export const resetPasswordInput = z.object({
  token: z.string().min(1, { error: "This reset link is incomplete: ask for a new one." }),
  password: z
    .string()
    .min(8, { error: "Use at least 8 characters." })
    .max(128, { error: "Use at most 128 characters." }),
});

/** The OAuth providers the app knows; lib/env.ts says which are configured. */
export const oauthProviders = ["github", "google"] as const;
export type OAuthProvider = (typeof oauthProviders)[number];

export const oauthSignInInput = z.object({
  provider: z.enum(oauthProviders),
  next: nextPath,
});
