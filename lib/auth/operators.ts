import "server-only";
import { eq } from "drizzle-orm";
import { env } from "@/lib/core/env";
import { schema, type Executor } from "@/lib/db";

/**
 * Who is an operator (/admin): an account whose address is in ADMIN_EMAILS *and* confirmed. Decided here, on the
 * server, on every request, from the environment and the account's row; never from the `role` column alone.
 *
 * Why not the role: Better Auth's admin plugin trusts `user.role`, a column anyone with write access to the database
 * (a leaked migration role, a careless script, an SQL injection elsewhere) can set, and that would stay "admin" after
 * the address left ADMIN_EMAILS. Here the deployment's settings are the authority: removing an address from
 * ADMIN_EMAILS and restarting takes the power away everywhere, whatever the table says. The confirmation matters
 * because anyone can sign up with any address: an unconfirmed account holding an operator's address may be a
 * squatter's. The role column is kept as a mirror (`mirrorOperatorRole`) only because the plugin's endpoints read it.
 */

export type OperatorCandidate = { email: string; emailVerified: boolean | null };

/** Whether this account is an operator: a confirmed address listed in ADMIN_EMAILS. */
export function isOperator(user: OperatorCandidate | null | undefined): boolean {
  if (!user || user.emailVerified !== true) return false;
  return env.adminEmails.includes(user.email.trim().toLowerCase());
}

/** The role Better Auth's admin plugin should see for this account. */
const OPERATOR_ROLE = "admin";
const USER_ROLE = "user";

/**
 * Writes the plugin's `role` mirror for this account from `isOperator` when it differs (one small update, only on a
 * change). Called before the app hands an operator's request to the plugin, and on an impersonation's target, so
 * the plugin's own checks (it refuses to impersonate an "admin") agree with ours.
 */
export async function mirrorOperatorRole(
  db: Executor,
  user: OperatorCandidate & { id: string; role?: string | null },
): Promise<void> {
  const role = isOperator(user) ? OPERATOR_ROLE : USER_ROLE;
  if (user.role === role) return;
  await db.update(schema.user).set({ role }).where(eq(schema.user.id, user.id));
}
