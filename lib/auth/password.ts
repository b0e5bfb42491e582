import "server-only";
import { createHash } from "node:crypto";
import { and, eq, like } from "drizzle-orm";
import { db, schema } from "@/lib/db";
import { sendPasswordChangedEmail } from "./emails";

const { verification } = schema;

/** How Better Auth names a reset link's row before storing it: `reset-password:<token>`. */
const RESET_LINK_PREFIX = "reset-password:";

/**
 * How a reset link's token is stored (Better Auth's `verification.storeIdentifier` for it): hashed, so
 * a copy of the database holds no live reset link, but behind a readable prefix, so an account's
 * outstanding links can be found (by prefix and user id) and voided together.
 */
export const resetLinkStorage = {
  [RESET_LINK_PREFIX]: {
    hash: async (identifier: string) =>
      `${RESET_LINK_PREFIX}${createHash("sha256").update(identifier).digest("base64url")}`,
  },
};

/**
 * Voids every reset link of the account still waiting to be used. After a reset or a password change,
 * an older link (perhaps read by someone else from the same inbox, or a forwarded email) must not set
 * another password.
 */
export async function voidResetLinks(userId: string): Promise<void> {
  await db
    .delete(verification)
    .where(and(like(verification.identifier, `${RESET_LINK_PREFIX}%`), eq(verification.value, userId)));
}

/**
 * What follows a password change, whichever path made it (Better Auth's `/change-password`, our
 * /account action through it): the owner is told, and no reset link from before stays usable. (The
 * other sessions end in the change itself: the hook always asks Better Auth to revoke them.)
 */
export async function afterPasswordChange(user: { id: string; name: string; email: string }): Promise<void> {
  await voidResetLinks(user.id);
  await sendPasswordChangedEmail(user);
}
