import "server-only";
import { recordAudit, userActor, type AuditAction } from "@/lib/audit";
import { logger } from "@/lib/core/logger";
import { db, transaction } from "@/lib/db";

/**
 * The account events Better Auth's own writes make (docs/audit.md, "How each event is written").
 * Better Auth writes a session or a user as one statement of its own, with no transaction of ours
 * to join, so these are written by its hooks right after that statement, each in a transaction of
 * its own: an event never describes a write that did not happen, and a crash between the two loses
 * the event (the log line below says so when the write fails).
 */
export async function recordAccountEvent(
  userId: string,
  action: AuditAction,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  try {
    await transaction(db, async (tx) =>
      recordAudit(tx, {
        teamId: null,
        actor: await userActor(tx, userId),
        action,
        target: { type: "user", id: userId },
        metadata,
      }),
    );
  } catch (error) {
    logger.error({ err: error, userId, action }, "audit: account event not recorded");
    throw error;
  }
}

/** The Better Auth endpoints that end in a new session, and how the log names each way of signing in. */
export function signInMethod(path: string | undefined): string | null {
  if (!path) return "server";
  if (path === "/sign-in/email") return "password";
  if (path === "/magic-link/verify") return "magic-link";
  if (path.startsWith("/callback/") || path.startsWith("/oauth2/callback/")) return `oauth:${path.split("/").pop()}`;
  if (path === "/verify-email") return "email-link";
  if (path === "/sign-up/email") return "sign-up";
  // A password change starts a fresh session for the same person (its own event), an operator's
  // impersonation is the admin area's event: neither is a sign-in.
  if (path === "/change-password" || path.startsWith("/admin/")) return null;
  return path.replace(/^\//, "");
}
