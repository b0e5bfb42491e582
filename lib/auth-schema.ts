import { z } from "zod";

/**
 * Where to go after signing in: a path on this site, or the dashboard.
 * Resolved the way a browser would, so `//evil.example`, `/\evil.example` and
 * `/<tab>/evil.example` (which browsers treat as other hosts) are refused too.
 */
export function safeNextPath(value: string | undefined): string {
  if (!value || !value.startsWith("/")) return "/dashboard";
  const base = "http://this.site";
  const url = new URL(value, base);
  if (url.origin !== base || /[\\\u0000-\u001f]/.test(value)) return "/dashboard";
  return `${url.pathname}${url.search}${url.hash}`;
}

const nextPath = z.string().optional().transform(safeNextPath);

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
