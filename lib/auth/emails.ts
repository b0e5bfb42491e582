import "server-only";
import { and, eq } from "drizzle-orm";
import { env } from "@/lib/core/env";
import { logger } from "@/lib/core/logger";
import { db, schema } from "@/lib/db";
import { sendEmail } from "@/lib/email";

/** Where the link of a `finish-sign-up` email lands: /reset-password, worded for finishing a sign-up. */
export const FINISH_SIGN_UP_PATH = "/reset-password?purpose=finish-sign-up";

/** Reads a Better Auth email token's claims (it has verified the token before any hook runs). */
export function emailTokenClaims(token: unknown): { requestType?: string; updateTo?: string } {
  if (typeof token !== "string") return {};
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString());
  } catch {
    return {};
  }
}

/** Whether a verification token (Better Auth's signed JWT) confirms a changed address rather than a new account's. */
export function isEmailChange(token: string | null | undefined): boolean {
  return emailTokenClaims(token)?.requestType === "change-email-verification";
}

/** Marks the address confirmed (a no-op when it already was). */
export async function markEmailVerified(userId: string) {
  await db
    .update(schema.user)
    .set({ emailVerified: true, updatedAt: new Date() })
    .where(and(eq(schema.user.id, userId), eq(schema.user.emailVerified, false)));
}

/** The welcome email, through the pipeline; a failure to queue it never fails the sign-up. */
export async function sendWelcomeEmail(user: { id: string; name: string; email: string }) {
  try {
    await sendEmail(db, {
      to: user.email,
      template: "welcome",
      props: { name: user.name, dashboardUrl: `${env.appUrl}/dashboard` },
    });
  } catch (error) {
    logger.error({ err: error, userId: user.id }, "welcome email not queued");
  }
}

/** The "your password was changed" notice, with the way to the account page. */
export async function sendPasswordChangedEmail(user: { name: string; email: string }) {
  await sendEmail(db, {
    to: user.email,
    template: "password-changed",
    props: { name: user.name, accountUrl: `${env.appUrl}/account` },
  });
}
