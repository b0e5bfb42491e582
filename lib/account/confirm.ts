import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import { auth, limitPasswordCheck } from "@/lib/auth";
import { AppError } from "@/lib/core/errors";
import { schema, type Executor } from "@/lib/db";

const { account } = schema;

/** A sign-in this recent confirms it is the owner at the keyboard, as a password would. */
export const FRESH_SIGN_IN_MS = 10 * 60_000;

/** Whether a session began recently enough to stand in for the password. */
export function isFreshSignIn(sessionCreatedAt: Date, now = new Date()): boolean {
  return now.getTime() - sessionCreatedAt.getTime() < FRESH_SIGN_IN_MS;
}

/** The password hash of the user's email-and-password sign-in, or null (magic-link and OAuth accounts have none). */
async function passwordHash(db: Executor, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ hash: account.password })
    .from(account)
    .where(and(eq(account.userId, userId), eq(account.providerId, "credential"), isNotNull(account.password)));
  return row?.hash ?? null;
}

export async function hasPassword(db: Executor, userId: string): Promise<boolean> {
  return (await passwordHash(db, userId)) !== null;
}

/** How the owner proved it is them. */
export type OwnerProof = "password" | "fresh-sign-in";

/**
 * Whether the person asking may do something irreversible to the account:
 * they typed its password (checked with Better Auth's own hasher, and counted
 * against the account's limit like every password check), or they signed in
 * within the last few minutes (the way in for accounts without one).
 * Throws a `forbidden` AppError on the `password` field otherwise.
 */
export async function confirmAccountOwner(
  db: Executor,
  session: { userId: string; createdAt: Date; email: string },
  password: string | undefined,
  now = new Date(),
): Promise<OwnerProof> {
  if (password) {
    await limitPasswordCheck(session);
    const hash = await passwordHash(db, session.userId);
    const { password: hasher } = await auth.$context;
    if (hash && (await hasher.verify({ hash, password }))) return "password";
    throw new AppError("forbidden", "That is not your password.", { reason: "wrong-password", field: "password" });
  }
  if (isFreshSignIn(session.createdAt, now)) return "fresh-sign-in";
  throw new AppError("forbidden", "Enter your password, or sign in again and delete within 10 minutes.", {
    reason: "sign-in-again",
    field: "password",
  });
}
