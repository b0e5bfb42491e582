import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { FREE_AI_DRAFTS_PER_DAY, PRO_AI_DRAFTS_PER_DAY } from "@/lib/billing";
import { db, schema } from "@/lib/db";
import { makePro, signUpTestUser } from "@/tests/support/users";
import {
  ABANDONED_AFTER_MS,
  finishGeneration,
  getAiUsage,
  getAiUsageByKind,
  releaseAbandonedGenerations,
  reserveGeneration,
} from "./quota";

// The first sign-up migrates the embedded database and warms Better Auth: a hook's timeout, not a test's.
beforeAll(() => signUpTestUser(), 180_000);

async function spend(
  cook: { id: string; teamId: string },
  outcome: "succeeded" | "failed" | "pending",
  kind: "recipe-draft" | "week-plan" = "recipe-draft",
) {
  const reservation = await reserveGeneration(
    db,
    { teamId: cook.teamId, userId: cook.id },
    kind,
    "offline:sample-drafts",
  );
  if (outcome !== "pending") await finishGeneration(db, reservation.generation.id, { status: outcome });
}

/** A call that succeeded yesterday (36 hours ago, so yesterday in UTC too). */
async function spentYesterday(cook: { id: string; teamId: string }, kind: "recipe-draft" | "week-plan") {
  await db.insert(schema.aiGenerations).values({
    organizationId: cook.teamId,
    userId: cook.id,
    kind,
    model: "offline:sample-drafts",
    status: "succeeded",
    createdAt: new Date(Date.now() - 36 * 60 * 60 * 1000),
  });
}

describe("today's AI drafts left (the dashboard's count)", () => {
  it("counts today's drafts against the Free quota; failed calls are given back, pending ones are held", async () => {
    const cook = await signUpTestUser();
    expect(await getAiUsage(db, cook.teamId)).toMatchObject({ used: 0, quota: FREE_AI_DRAFTS_PER_DAY, left: 5 });

    await spend(cook, "succeeded");
    await spend(cook, "pending");
    await spend(cook, "failed");
    await spend(cook, "succeeded", "week-plan");

    expect(await getAiUsage(db, cook.teamId)).toMatchObject({ used: 2, left: FREE_AI_DRAFTS_PER_DAY - 2 });
    expect(await getAiUsage(db, cook.teamId, "week-plan")).toMatchObject({ used: 1, quota: 1, left: 0 });
  });

  it("counts only today (UTC): yesterday's drafts are not held against the user", async () => {
    const cook = await signUpTestUser();
    await spentYesterday(cook, "recipe-draft");
    expect((await getAiUsage(db, cook.teamId)).used).toBe(0);
  });

  it("gives Pro the larger quota", async () => {
    const cook = await signUpTestUser();
    await spend(cook, "succeeded");
    await makePro(cook.teamId);
    expect(await getAiUsage(db, cook.teamId)).toMatchObject({
      quota: PRO_AI_DRAFTS_PER_DAY,
      left: PRO_AI_DRAFTS_PER_DAY - 1,
    });
  });
});

describe("today's AI use of every kind, in one query (the dashboard's two counts)", () => {
  it("counts each kind against its own quota, like getAiUsage does one kind", async () => {
    const cook = await signUpTestUser();
    await spend(cook, "succeeded");
    await spend(cook, "pending");
    await spend(cook, "failed");
    await spend(cook, "succeeded", "week-plan");

    const usage = await getAiUsageByKind(db, cook.teamId);
    expect(usage["recipe-draft"]).toEqual(await getAiUsage(db, cook.teamId, "recipe-draft"));
    expect(usage["week-plan"]).toEqual(await getAiUsage(db, cook.teamId, "week-plan"));
    expect(usage["recipe-draft"]).toMatchObject({ kind: "recipe-draft", used: 2, left: FREE_AI_DRAFTS_PER_DAY - 2 });
    expect(usage["week-plan"]).toMatchObject({ kind: "week-plan", used: 1, quota: 1, left: 0 });
  });

  it("counts neither yesterday's calls nor another user's", async () => {
    const cook = await signUpTestUser();
    const other = await signUpTestUser("Other Cook");
    await spend(other, "succeeded");
    await spend(other, "succeeded", "week-plan");
    await spentYesterday(cook, "week-plan");

    const usage = await getAiUsageByKind(db, cook.teamId);
    expect(usage["recipe-draft"]).toMatchObject({ used: 0, left: FREE_AI_DRAFTS_PER_DAY });
    expect(usage["week-plan"]).toMatchObject({ used: 0, left: 1 });
  });

  it("gives Pro the larger quotas", async () => {
    const cook = await signUpTestUser();
    await spend(cook, "succeeded");
    await makePro(cook.teamId);
    expect((await getAiUsageByKind(db, cook.teamId))["recipe-draft"]).toMatchObject({
      quota: PRO_AI_DRAFTS_PER_DAY,
      left: PRO_AI_DRAFTS_PER_DAY - 1,
    });
  });
});

describe("the sweep releases AI calls that never finished", () => {
  it("fails calls pending past the limit, gives them back, and tells the dashboard the week plan will not come", async () => {
    const cook = await signUpTestUser();
    const old = new Date(Date.now() - ABANDONED_AFTER_MS - 60_000);
    const [plan, draft, recent] = await db
      .insert(schema.aiGenerations)
      .values([
        {
          organizationId: cook.teamId,
          userId: cook.id,
          kind: "week-plan",
          model: "offline:sample-drafts",
          createdAt: old,
        },
        {
          organizationId: cook.teamId,
          userId: cook.id,
          kind: "recipe-draft",
          model: "offline:sample-drafts",
          createdAt: old,
        },
        { organizationId: cook.teamId, userId: cook.id, kind: "recipe-draft", model: "offline:sample-drafts" },
      ])
      .returning();

    expect(await releaseAbandonedGenerations(db)).toBe(2);

    const rows = await db.select().from(schema.aiGenerations).where(eq(schema.aiGenerations.userId, cook.id));
    const statusOf = (id: string) => rows.find((row) => row.id === id)?.status;
    expect([statusOf(plan!.id), statusOf(draft!.id), statusOf(recent!.id)]).toEqual(["failed", "failed", "pending"]);
    expect((await getAiUsage(db, cook.teamId)).used).toBe(1);
    const events = await db
      .select()
      .from(schema.realtimeEvents)
      .where(
        and(eq(schema.realtimeEvents.organizationId, cook.teamId), eq(schema.realtimeEvents.type, "ai.draft.finished")),
      );
    // A team's event names its team.
    expect(events.map((event) => event.data)).toEqual([
      { generationId: plan!.id, kind: "week-plan", teamId: cook.teamId },
    ]);
    expect(await releaseAbandonedGenerations(db)).toBe(0);
  });
});
