import "server-only";
import { eq } from "drizzle-orm";
import { recordAudit, userActor } from "@/lib/audit";
import { isOperator } from "@/lib/auth/operators";
import { AppError } from "@/lib/core/errors";
import { logger } from "@/lib/core/logger";
import { schema, transaction, type Executor } from "@/lib/db";
import { notifySessionEnded } from "@/lib/realtime";
import type { Operator } from "./guard";

const { user, session } = schema;

/**
 * Bans an account, in one transaction: the same columns Better Auth's admin plugin writes (`banned`, `ban_reason`,
 * no `ban_expires`: until an operator lifts it), and every session of the account deleted, impersonations of it
 * included. Sessions are looked up on every request, so each open tab's next request is signed out; each deleted row
 * NOTIFYs on commit, so every server closes the event streams it holds for them (lib/realtime); and the plugin
 * refuses any new session of a banned account, by any sign-in method, with BANNED_MESSAGE (lib/auth/operator-hooks.ts).
 * Done here rather than through the plugin's endpoint so the ban, its sessions' end and its audit event (the
 * operator as actor, in the account's chain) commit together or not at all.
 */
export async function banUser(
  db: Executor,
  { operator, userId, reason }: { operator: Operator; userId: string; reason: string },
): Promise<{ sessionsEnded: number }> {
  if (userId === operator.user.id) throw new AppError("conflict", "You cannot ban yourself.", { reason: "ban-self" });
  return transaction(db, async (tx) => {
    const [target] = await tx
      .select({ id: user.id, email: user.email, emailVerified: user.emailVerified, banned: user.banned })
      .from(user)
      .where(eq(user.id, userId))
      .for("update");
    if (!target) throw new AppError("not-found", "There is no such user.", { reason: "user-not-found" });
    if (isOperator(target))
      throw new AppError("conflict", "Operators are not banned: take their address out of ADMIN_EMAILS instead.", {
        reason: "ban-operator",
      });
    await tx
      .update(user)
      .set({ banned: true, banReason: reason, banExpires: null, updatedAt: new Date() })
      .where(eq(user.id, userId));
    const ended = await tx
      .delete(session)
      .where(eq(session.userId, userId))
      .returning({ id: session.id, announced: notifySessionEnded(session.id) });
    await recordAudit(tx, {
      teamId: null,
      actor: await userActor(tx, operator.user.id),
      action: "operator.user_banned",
      target: { type: "user", id: userId },
      metadata: { reason, sessionsEnded: ended.length },
    });
    logger.info({ operatorId: operator.user.id, userId, sessionsEnded: ended.length }, "operator banned a user");
    return { sessionsEnded: ended.length };
  });
}

/** Lifts a ban, recorded with the operator as actor: the account may sign in again (no ended session comes back). */
export async function unbanUser(db: Executor, { operator, userId }: { operator: Operator; userId: string }) {
  return transaction(db, async (tx) => {
    const [lifted] = await tx
      .update(user)
      .set({ banned: false, banReason: null, banExpires: null, updatedAt: new Date() })
      .where(eq(user.id, userId))
      .returning({ id: user.id });
    if (!lifted) throw new AppError("not-found", "There is no such user.", { reason: "user-not-found" });
    await recordAudit(tx, {
      teamId: null,
      actor: await userActor(tx, operator.user.id),
      action: "operator.user_unbanned",
      target: { type: "user", id: userId },
    });
    logger.info({ operatorId: operator.user.id, userId }, "operator lifted a ban");
  });
}
