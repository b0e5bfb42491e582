import "server-only";
import { eq } from "drizzle-orm";
import { auth } from "@/lib/auth";
import { currentRequestHeaders, isBanned } from "@/lib/auth/session";
import { isOperator, mirrorOperatorRole } from "@/lib/auth/operators";
import { AppError } from "@/lib/core/errors";
import { schema, type Executor } from "@/lib/db";
import type { Operator } from "./guard";

/**
 * Starts seeing the app as this user: Better Auth's admin plugin makes a session of theirs marked
 * `impersonated_by` = the operator, lasting at most an hour (IMPERSONATION_MAX_SECONDS), puts it in the browser's
 * session cookie and keeps the operator's own session aside in a signed cookie for "Stop impersonating". It is
 * recorded as the operator's action where the plugin writes the session (lib/auth/operator-hooks.ts).
 * Never another operator, a banned account or oneself.
 */
export async function startImpersonating(db: Executor, { operator, userId }: { operator: Operator; userId: string }) {
  const [target] = await db
    .select({
      id: schema.user.id,
      email: schema.user.email,
      emailVerified: schema.user.emailVerified,
      role: schema.user.role,
      banned: schema.user.banned,
      banExpires: schema.user.banExpires,
    })
    .from(schema.user)
    .where(eq(schema.user.id, userId));
  if (!target) throw new AppError("not-found", "There is no such user.", { reason: "user-not-found" });
  if (target.id === operator.user.id)
    throw new AppError("conflict", "You are already yourself.", { reason: "impersonate-self" });
  if (isOperator(target))
    throw new AppError("conflict", "Operators cannot be impersonated.", { reason: "impersonate-operator" });
  if (isBanned(target))
    throw new AppError("conflict", "A banned account cannot be impersonated: lift the ban first.", {
      reason: "impersonate-banned",
    });
  // The plugin refuses to impersonate an "admin": make sure a stale mirror does not stand in the way (or let one through).
  await mirrorOperatorRole(db, target);
  await auth.api.impersonateUser({ body: { userId }, headers: await currentRequestHeaders() });
}
