import { and, eq, inArray } from "drizzle-orm";
import { db, schema } from "@/lib/db";
import { addMember, createTeam } from "@/lib/teams";
import { createEndpoint } from "@/lib/webhooks-out";
import type { WebhookEndpointCreate } from "@/lib/webhooks-out/schema";
import { flushAfterResponse } from "./run-after-response";
import { makePro, signUpTestUser } from "./users";

/** Runs the held after-response work (jobs) until none is left: a dispatch queues its tries, which run next. */
export async function drainJobs(): Promise<number> {
  let total = 0;
  for (let ran = await flushAfterResponse(); ran > 0; ran = await flushAfterResponse()) total += ran;
  return total;
}

/** A Pro team with an owner, an admin and a member (all confirmed). */
export async function webhookTeam() {
  const owner = await signUpTestUser("Olive Owner");
  const admin = await signUpTestUser("Ada Admin");
  const cook = await signUpTestUser("Max Member");
  const team = await createTeam(db, { name: "Hook Kitchen", ownerId: owner.id });
  await makePro(team.id);
  await addMember(db, team.id, admin.id, "admin");
  await addMember(db, team.id, cook.id, "member");
  // Adding members announced member.added to nobody (no endpoint yet): nothing is held.
  await drainJobs();
  return { team, owner, admin, cook, asAdmin: { teamId: team.id, userId: admin.id } };
}

/** Adds an endpoint as the team's admin; returns it with its secret. */
export function addEndpoint(
  actor: { teamId: string; userId?: string },
  input: Partial<WebhookEndpointCreate> & { url: string },
) {
  return createEndpoint(db, actor, { description: "", event_types: null, ...input });
}

/**
 * "As if the wait had passed": the pending tries of these endpoints become due now, and the locks of
 * workers that died are let go. Tests move the rows' time instead of sleeping through the schedule.
 */
export async function makeDue(endpointIds: string[]) {
  await db
    .update(schema.webhookAttempts)
    .set({ nextAttemptAt: new Date(Date.now() - 5 * 60_000), lockedUntil: null })
    .where(and(inArray(schema.webhookAttempts.endpointId, endpointIds), eq(schema.webhookAttempts.status, "pending")));
}

/** Every try at one endpoint, oldest first. */
export function attemptsOf(endpointId: string) {
  return db
    .select()
    .from(schema.webhookAttempts)
    .where(eq(schema.webhookAttempts.endpointId, endpointId))
    .orderBy(schema.webhookAttempts.createdAt, schema.webhookAttempts.attempt);
}

export async function endpointRow(endpointId: string) {
  const [row] = await db.select().from(schema.webhookEndpoints).where(eq(schema.webhookEndpoints.id, endpointId));
  return row!;
}
