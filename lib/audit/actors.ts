import "server-only";
import { eq, inArray } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { requestImpersonation } from "@/lib/auth/impersonation-context";
import type { AuditActor } from "./record";

const { user } = schema;

/** How the log names a person: their name and address, as the team's admins know them. */
export const userLabel = (person: { name: string; email: string }) => `${person.name} <${person.email}>`;

/**
 * The person as actor, read in the change's transaction (a user deleted since appears by id only). While an
 * operator impersonates them (the request's session says so, lib/auth/session.ts), the operator is the actor, and
 * the label says whom they were acting as.
 */
export async function userActor(tx: Executor, userId: string): Promise<AuditActor> {
  const impersonation = requestImpersonation();
  if (impersonation && impersonation.userId === userId) return impersonatingActor(tx, impersonation);
  const [person] = await tx.select({ name: user.name, email: user.email }).from(user).where(eq(user.id, userId));
  return { type: "user", id: userId, label: person ? userLabel(person) : userId };
}

/** The operator as actor, acting through an impersonation of `userId`. */
export async function impersonatingActor(
  tx: Executor,
  { operatorId, userId }: { operatorId: string; userId: string },
): Promise<AuditActor> {
  const rows = await tx
    .select({ id: user.id, name: user.name, email: user.email })
    .from(user)
    .where(inArray(user.id, [operatorId, userId]));
  const labelOf = (id: string) => {
    const row = rows.find((found) => found.id === id);
    return row ? userLabel(row) : id;
  };
  return { type: "user", id: operatorId, label: `${labelOf(operatorId)} as ${labelOf(userId)}` };
}

/** A public API call: the key is the actor (its maker is on the key). */
export const apiKeyActor = (key: { id: string; name: string }): AuditActor => ({
  type: "api_key",
  id: key.id,
  label: key.name,
});

/** A provider's webhook (Stripe): the change came from outside, the event id is the actor. */
export const providerActor = (provider: "stripe", eventId: string | null): AuditActor => ({
  type: "provider",
  id: eventId,
  label: provider,
});
