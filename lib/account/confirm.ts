import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import { auth } from "@/lib/auth";
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

export type OwnerCheck = "password" | "fresh-sign-in" | "wrong-password" | "sign-in-again";

/**
 * Whether the person asking may do something irreversible to the account:
 * they typed its password (checked with Better Auth's own hasher), or they
 * signed in within the last few minutes (the way in for accounts without one).
 */
export async function confirmAccountOwner(
  db: Executor,
  session: { userId: string; createdAt: Date },
  password: string | undefined,
  now = new Date(),
): Promise<OwnerCheck> {
  if (password) {
    const hash = await passwordHash(db, session.userId);
    if (!hash) return "wrong-password";
    const { password: hasher } = await auth.$context;
    return (await hasher.verify({ hash, password })) ? "password" : "wrong-password";
  }
  return isFreshSignIn(session.createdAt, now) ? "fresh-sign-in" : "sign-in-again";
}
