import "server-only";
import { and, count, eq, gte, lt, ne } from "drizzle-orm";
import { getTeamPlan, type Plan } from "@/lib/billing/plans";
import { schema, type Executor } from "@/lib/db";
import type { AiGeneration, AiGenerationKind, AiGenerationStatus } from "@/lib/db/schema";
import { AppError } from "@/lib/core/errors";
import { publishRealtimeEvent } from "@/lib/realtime";
import { memberMay } from "@/lib/teams/roles";
import { TeamNotFoundError } from "@/lib/teams/teams";

const { aiGenerations, organization } = schema;

export type Reservation = {
  generation: AiGeneration;
  plan: Plan;
  /** Calls of this kind left today, after this one. */
  left: number;
};

/** What each kind of call is called where a person reads about their quota. */
const quotaNouns: Record<AiGenerationKind, [one: string, many: string]> = {
  "recipe-draft": ["AI draft", "AI drafts"],
  "week-plan": ["week plan", "week plans"],
};

/** Today's quota of one kind of AI call is used up: it resets at midnight UTC, and Pro has more. */
export class AiQuotaExceededError extends AppError {
  constructor(plan: Plan, kind: AiGenerationKind, quota: number, now = new Date()) {
    const [one, many] = quotaNouns[kind];
    const calls = `${quota} ${quota === 1 ? one : many}`;
    const upgrade = plan.id === "free";
    super(
      "limit-reached",
      upgrade
        ? `You have used today's ${calls} on the ${plan.name} plan. Upgrade to Pro for more, or try again tomorrow.`
        : `You have used today's ${calls}. More tomorrow.`,
      { reason: "ai-quota-exceeded", retryAfterSeconds: secondsUntilTomorrow(now), upgrade, details: { quota } },
    );
    this.name = "AiQuotaExceededError";
  }
}

/** Quotas count per UTC day. */
export function startOfUtcDay(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function secondsUntilTomorrow(now = new Date()): number {
  const tomorrow = startOfUtcDay(now).getTime() + 24 * 60 * 60 * 1000;
  return Math.max(1, Math.ceil((tomorrow - now.getTime()) / 1000));
}

// A provider failure is not the user's doing, so it gives the call back; everything else counts (pending included).
const countsAgainstQuota = ne(aiGenerations.status, "failed");

async function usedToday(db: Executor, teamId: string, kind: AiGenerationKind, now: Date) {
  const [row] = await db
    .select({ used: count() })
    .from(aiGenerations)
    .where(
      and(
        eq(aiGenerations.organizationId, teamId),
        eq(aiGenerations.kind, kind),
        gte(aiGenerations.createdAt, startOfUtcDay(now)),
        countsAgainstQuota,
      ),
    );
  return row?.used ?? 0;
}

/**
 * Reserves one call of `kind` against the user's daily quota by inserting its
 * `ai_generations` row (pending) before the model is called. The user's row
 * is locked first, so concurrent requests queue here and each counts the
 * reservations before it: no more than the quota get through, however many arrive at once.
 * Throws `AiQuotaExceededError` when today's quota is used up.
 */
export async function reserveGeneration(
  db: Executor,
  { teamId, userId }: { teamId: string; userId: string },
  kind: AiGenerationKind,
  model: string,
  now = new Date(),
): Promise<Reservation> {
  return db.transaction(async (tx) => {
    // Lock the team's row, as a member only: concurrent requests queue here and each counts the others' reservations.
    const [team] = await tx
      .select({ id: organization.id })
      .from(organization)
      .where(and(eq(organization.id, teamId), memberMay(organization.id, userId, "recipes:write")))
      .for("update");
    if (!team) throw new TeamNotFoundError();
    const { plan } = await getTeamPlan(tx, teamId);
    const quota = plan.aiDailyQuota[kind];
    const used = await usedToday(tx, teamId, kind, now);
    if (used >= quota) throw new AiQuotaExceededError(plan, kind, quota, now);
    const [generation] = await tx
      .insert(aiGenerations)
      .values({ organizationId: teamId, userId, kind, model, status: "pending" })
      .returning();
    return { generation: generation!, plan, left: quota - used - 1 };
  });
}

export type GenerationOutcome = {
  status: Exclude<AiGenerationStatus, "pending">;
  inputTokens?: number;
  outputTokens?: number;
  error?: string;
  result?: unknown;
};

/** Records how a reserved call ended; only a pending row changes, so the first outcome wins. */
export async function finishGeneration(db: Executor, id: string, outcome: GenerationOutcome) {
  const [row] = await db
    .update(aiGenerations)
    .set({ ...outcome, finishedAt: new Date() })
    .where(and(eq(aiGenerations.id, id), eq(aiGenerations.status, "pending")))
    .returning();
  return row ?? null;
}

export type AiUsage = { plan: Plan; kind: AiGenerationKind; used: number; quota: number; left: number };

/** The team's use today of one kind of AI call against its plan's quota, for the dashboard. */
export async function getAiUsage(
  db: Executor,
  teamId: string,
  kind: AiGenerationKind = "recipe-draft",
  now = new Date(),
): Promise<AiUsage> {
  const [{ plan }, used] = await Promise.all([getTeamPlan(db, teamId), usedToday(db, teamId, kind, now)]);
  return usageAgainstQuota(plan, kind, used);
}

function usageAgainstQuota(plan: Plan, kind: AiGenerationKind, used: number): AiUsage {
  const quota = plan.aiDailyQuota[kind];
  return { plan, kind, used, quota, left: Math.max(0, quota - used) };
}

/** Today's use of every kind of AI call, counted in one query: the dashboard shows each kind's quota. */
export async function getAiUsageByKind(
  db: Executor,
  teamId: string,
  now = new Date(),
): Promise<Record<AiGenerationKind, AiUsage>> {
  const [{ plan }, counts] = await Promise.all([
    getTeamPlan(db, teamId),
    db
      .select({ kind: aiGenerations.kind, used: count() })
      .from(aiGenerations)
      .where(
        and(
          eq(aiGenerations.organizationId, teamId),
          gte(aiGenerations.createdAt, startOfUtcDay(now)),
          countsAgainstQuota,
        ),
      )
      .groupBy(aiGenerations.kind),
  ]);
  const usedOf = (kind: AiGenerationKind) => counts.find((row) => row.kind === kind)?.used ?? 0;
  return {
    "recipe-draft": usageAgainstQuota(plan, "recipe-draft", usedOf("recipe-draft")),
    "week-plan": usageAgainstQuota(plan, "week-plan", usedOf("week-plan")),
  };
}

/** A call still pending after this long never finished (its server or job went away). */
export const ABANDONED_AFTER_MS = 15 * 60_000;

/**
 * Run by the scheduled sweep: marks calls that never finished as failed, which
 * gives them back to the quota, and tells an open dashboard that a week plan
 * it is waiting for will not come. A job that starts later finds the row no
 * longer pending and does nothing.
 */
export async function releaseAbandonedGenerations(database: Executor, now = new Date()): Promise<number> {
  return database.transaction(async (tx) => {
    const released = await tx
      .update(aiGenerations)
      .set({ status: "failed", error: "abandoned: never finished", finishedAt: now })
      .where(
        and(
          eq(aiGenerations.status, "pending"),
          lt(aiGenerations.createdAt, new Date(now.getTime() - ABANDONED_AFTER_MS)),
        ),
      )
      .returning({ id: aiGenerations.id, teamId: aiGenerations.organizationId, kind: aiGenerations.kind });
    for (const { id, teamId, kind } of released) {
      if (kind !== "week-plan") continue;
      await publishRealtimeEvent(tx, { teamId }, "ai.draft.finished", { generationId: id, kind });
    }
    return released.length;
  });
}
