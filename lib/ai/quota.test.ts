import { describe, expect, it, vi } from "vitest";
import { FREE_AI_DRAFTS_PER_DAY, PRO_AI_DRAFTS_PER_DAY } from "@/lib/billing/plans";
import { db, schema } from "@/lib/db";
import { signUpTestUser } from "@/tests/support/users";
import { finishGeneration, getAiUsage, reserveGeneration } from "./quota";

vi.mock("next/headers", () => import("@/tests/support/next/headers"));

async function spend(
  userId: string,
  outcome: "succeeded" | "failed" | "pending",
  kind: "recipe-draft" | "week-plan" = "recipe-draft",
) {
  const reservation = await reserveGeneration(db, userId, kind, "offline:sample-drafts");
  if (!reservation.ok) throw new Error("quota unexpectedly used up");
  if (outcome !== "pending") await finishGeneration(db, reservation.generation.id, { status: outcome });
}

describe("today's AI drafts left (the dashboard's count)", () => {
  it("counts today's drafts against the Free quota; failed calls are given back, pending ones are held", async () => {
    const cook = await signUpTestUser();
    expect(await getAiUsage(db, cook.id)).toMatchObject({ used: 0, quota: FREE_AI_DRAFTS_PER_DAY, left: 5 });

    await spend(cook.id, "succeeded");
    await spend(cook.id, "pending");
    await spend(cook.id, "failed");
    await spend(cook.id, "succeeded", "week-plan");

    expect(await getAiUsage(db, cook.id)).toMatchObject({ used: 2, left: FREE_AI_DRAFTS_PER_DAY - 2 });
    expect(await getAiUsage(db, cook.id, "week-plan")).toMatchObject({ used: 1, quota: 1, left: 0 });
  });

  it("counts only today (UTC): yesterday's drafts are not held against the user", async () => {
    const cook = await signUpTestUser();
    await db.insert(schema.aiGenerations).values({
      userId: cook.id,
      kind: "recipe-draft",
      model: "offline:sample-drafts",
      status: "succeeded",
      createdAt: new Date(Date.now() - 36 * 60 * 60 * 1000),
    });
    expect((await getAiUsage(db, cook.id)).used).toBe(0);
  });

  it("gives Pro the larger quota", async () => {
    const cook = await signUpTestUser();
    await spend(cook.id, "succeeded");
    await db.insert(schema.subscriptions).values({
      id: `sub_${cook.id}`,
      userId: cook.id,
      customerId: `cus_${cook.id}`,
      status: "active",
      lastEventAt: new Date(),
    });
    expect(await getAiUsage(db, cook.id)).toMatchObject({
      quota: PRO_AI_DRAFTS_PER_DAY,
      left: PRO_AI_DRAFTS_PER_DAY - 1,
    });
  });
});
