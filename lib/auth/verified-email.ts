import "server-only";
import { eq } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { schema, type Executor } from "@/lib/db";

/**
 * What an unconfirmed address may not do yet. Unconfirmed cooks sign in and
 * draft; what reaches other people (a published recipe) or money (Checkout)
 * waits until the address is proven, so nobody publishes or pays under an
 * address they do not own.
 */
export class EmailNotVerifiedError extends AppError {
  constructor(doing: string) {
    super(
      "forbidden",
      `Confirm your email address before ${doing}: open the link we emailed you, or use “Resend the email” at the top of the page.`,
      { reason: "email-not-verified" },
    );
    this.name = "EmailNotVerifiedError";
  }
}

/** Throws `EmailNotVerifiedError` unless the user's address is confirmed: the stored row decides, not the session. */
export async function requireVerifiedEmail(db: Executor, userId: string, doing: string): Promise<void> {
  const [row] = await db
    .select({ emailVerified: schema.user.emailVerified })
    .from(schema.user)
    .where(eq(schema.user.id, userId));
  if (!row?.emailVerified) throw new EmailNotVerifiedError(doing);
}
