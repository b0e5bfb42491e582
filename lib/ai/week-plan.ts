import "server-only";
import { generateText, Output } from "ai";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { db as appDb, schema, type Executor } from "@/lib/db";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { defineJob, enqueue, jobRequestId } from "@/lib/jobs";
import { logger } from "@/lib/core/logger";
import { publishRealtimeEvent } from "@/lib/realtime";
import type { ModelChoice } from "./draft";
import { AiTimeoutError, describeAiFailure } from "./errors";
import { aiModel, aiModelName } from "./model";
import { finishGeneration, reserveGeneration } from "./quota";
import { OUTPUT_NAMES, weekPlan, weekPlanHref, type WeekPlan } from "./schema";

const { aiGenerations, organization, recipes } = schema;

/**
 * "Plan my week": a week of dinners drafted from the cook's own recipes. It
 * takes longer than anyone should wait on a request, so it is a background
 * job: a Trigger.dev task on Stack A (Vercel), in this process on Stack B (one
 * server on Render; docs/deployment.md). The request reserves an
 * `ai_generations` row against the daily quota and enqueues the job; the job
 * asks the model, stores the plan on that row and announces it with
 * `ai.draft.finished` in the same transaction.
 */

/** The reserved `ai_generations` row the job fills in. */
export const planWeekPayload = z.object({ generationId: z.uuid(), requestId: jobRequestId });
export type PlanWeekPayload = z.infer<typeof planWeekPayload>;

export const planWeekJob = defineJob("plan-week", planWeekPayload, ({ generationId, requestId }) =>
  draftWeekPlan(appDb, { generationId, requestId }),
);

/**
 * Reserves one week plan against today's quota (`AiQuotaExceededError` when it is used up) and
 * starts the job that drafts it; `unavailable` when the job cannot be queued.
 */
export async function requestWeekPlan(
  database: Executor,
  actor: { teamId: string; userId: string },
  { requestId }: { requestId?: string } = {},
): Promise<{ generationId: string }> {
  const reservation = await reserveGeneration(database, actor, "week-plan", aiModelName);
  const generationId = reservation.generation.id;
  const queued = await enqueue(
    planWeekJob,
    { generationId, requestId },
    { idempotencyKey: `week-plan:${generationId}` },
  );
  if (!queued.queued) {
    // Nothing will run it: give the reservation back at once.
    await finishGeneration(database, generationId, { status: "failed", error: "the job could not be queued" });
    throw new AppError("unavailable", "The week plan could not be started. Please try again.", {
      reason: "job-not-queued",
    });
  }
  return { generationId };
}

const INSTRUCTIONS = [
  "You plan a week of dinners for a home cook, Monday to Sunday, one per day.",
  "Use the cook's own recipes (listed by title, one per line after a dash), each at most once where possible;",
  "when there are fewer than seven, suggest simple dishes that go with them.",
  "For each day add one short practical note (what to prepare ahead, or why that day).",
].join(" ");

/** At most this many recipe titles go into the prompt (newest first). */
const MAX_RECIPES_IN_PROMPT = 60;

export type DraftWeekPlanResult =
  | { status: "succeeded"; plan: WeekPlan }
  | { status: "failed"; reason: string }
  /** Not pending (already finished, or unknown): a retried or duplicate run does nothing. */
  | { status: "skipped" };

/**
 * The job's work, and what the Trigger.dev task runs: drafts the plan for a
 * reserved generation, stores it (or the failure) on the row and publishes
 * `ai.draft.finished` in the same transaction. A model failure is recorded,
 * not thrown (it gives the quota back); only a database failure throws, so
 * Trigger.dev retries that run while the row is still pending.
 */
export async function draftWeekPlan(
  database: Executor,
  { generationId, requestId }: PlanWeekPayload,
  {
    model,
    modelName,
    timeoutMs,
    // Nobody is waiting on this call: a busy provider gets a couple of retries (within the same timeout).
    maxRetries = 2,
  }: ModelChoice & { maxRetries?: number } = { model: aiModel, modelName: aiModelName, timeoutMs: env.aiTimeoutMs },
): Promise<DraftWeekPlanResult> {
  const [generation] = await database
    .select({ status: aiGenerations.status, teamId: aiGenerations.organizationId, teamSlug: organization.slug })
    .from(aiGenerations)
    .innerJoin(organization, eq(organization.id, aiGenerations.organizationId))
    .where(and(eq(aiGenerations.id, generationId), eq(aiGenerations.kind, "week-plan")));
  if (!generation || generation.status !== "pending") return { status: "skipped" };
  const { teamId, teamSlug } = generation;
  const log = logger.child({ requestId, generationId, model: modelName });

  const titles = await database
    .select({ title: recipes.title })
    .from(recipes)
    .where(eq(recipes.organizationId, teamId))
    .orderBy(desc(recipes.createdAt))
    .limit(MAX_RECIPES_IN_PROMPT);
  const prompt = titles.length
    ? `The cook's recipes:\n${titles.map(({ title }) => `- ${title.replace(/\s+/g, " ")}`).join("\n")}`
    : "The cook has no recipes yet: suggest seven simple, varied dinners.";

  let outcome: Parameters<typeof finishGeneration>[2];
  let result: DraftWeekPlanResult;
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const answer = await generateText({
      model,
      instructions: INSTRUCTIONS,
      prompt,
      output: Output.object({ schema: weekPlan, name: OUTPUT_NAMES.weekPlan, description: "A week of dinners" }),
      maxOutputTokens: 2000,
      maxRetries,
      abortSignal: deadline,
    });
    const plan = answer.output;
    outcome = {
      status: "succeeded",
      inputTokens: answer.usage.inputTokens,
      outputTokens: answer.usage.outputTokens,
      result: plan,
    };
    result = { status: "succeeded", plan };
  } catch (error) {
    // The deadline may fire in a retry's back-off, where the SDK reports a plain abort.
    const failure = describeAiFailure(deadline.aborted ? new AiTimeoutError(timeoutMs) : error);
    outcome = { status: "failed", error: failure.reason };
    result = { status: "failed", reason: failure.reason };
  }

  const stored = await database.transaction(async (tx) => {
    const row = await finishGeneration(tx, generationId, outcome);
    // Only the run that stored the outcome announces it; the dashboard re-reads the row either way.
    if (row) {
      await publishRealtimeEvent(tx, { teamId }, "ai.draft.finished", {
        generationId,
        kind: "week-plan",
        ...(outcome.status === "succeeded" && { title: "Your week's menu" }),
        href: weekPlanHref(teamSlug),
      });
    }
    return row;
  });
  if (!stored) return { status: "skipped" };
  if (result.status === "failed") log.warn({ reason: result.reason }, "week plan failed");
  else log.info({ inputTokens: outcome.inputTokens, outputTokens: outcome.outputTokens }, "week plan stored");
  return result;
}

export type WeekPlanView =
  | { status: "pending"; generationId: string; requestedAt: Date }
  | { status: "succeeded"; generationId: string; plan: WeekPlan; finishedAt: Date | null }
  | { status: "failed" | "aborted"; generationId: string; timedOut: boolean };

/** The team's latest week plan, for its dashboard (null before the first). */
export async function getLatestWeekPlan(
  database: Pick<Executor, "select">,
  teamId: string,
): Promise<WeekPlanView | null> {
  const [row] = await database
    .select()
    .from(aiGenerations)
    .where(and(eq(aiGenerations.organizationId, teamId), eq(aiGenerations.kind, "week-plan")))
    .orderBy(desc(aiGenerations.createdAt))
    .limit(1);
  if (!row) return null;
  if (row.status === "pending") return { status: "pending", generationId: row.id, requestedAt: row.createdAt };
  if (row.status === "succeeded") {
    const parsed = weekPlan.safeParse(row.result);
    if (parsed.success) {
      return { status: "succeeded", generationId: row.id, plan: parsed.data, finishedAt: row.finishedAt };
    }
  }
  return {
    status: row.status === "aborted" ? "aborted" : "failed",
    generationId: row.id,
    timedOut: row.error === "timeout",
  };
}
