import "server-only";
import { recordAudit, type AuditActor } from "@/lib/audit";
import type { Executor } from "@/lib/db";
import { getTeamPlan, type PlanId } from "./plans";

/** What the audit log compares across a billing change: the plan, and the seats its subscription pays for. */
export type BillingSnapshot = { plan: PlanId; seats: number | null };

export async function billingSnapshot(tx: Executor, teamId: string): Promise<BillingSnapshot> {
  const { plan, subscription } = await getTeamPlan(tx, teamId);
  return { plan: plan.id, seats: subscription?.quantity ?? null };
}

/**
 * Records, in the transaction that changed the team's subscription, whether its plan or its paid
 * seats moved since `before` (one event each; nothing when neither did, as for a repeated event).
 */
export async function auditBillingChange(
  tx: Executor,
  teamId: string,
  before: BillingSnapshot,
  actor: AuditActor,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  const after = await billingSnapshot(tx, teamId);
  const target = { type: "team", id: teamId };
  if (after.plan !== before.plan) {
    await recordAudit(tx, {
      teamId,
      actor,
      action: "billing.plan_changed",
      target,
      metadata: { ...metadata, from: before.plan, to: after.plan, seats: after.seats },
    });
  } else if (after.seats !== null && before.seats !== null && after.seats !== before.seats) {
    await recordAudit(tx, {
      teamId,
      actor,
      action: "billing.seats_changed",
      target,
      metadata: { ...metadata, from: before.seats, to: after.seats },
    });
  }
}
