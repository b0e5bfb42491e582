import "server-only";
import { cache } from "react";
import { and, count, desc, eq, inArray } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Subscription } from "@/lib/db/schema";
import { publishRealtimeEvent } from "@/lib/realtime";

const { member, recipes, subscriptions } = schema;

export type PlanId = "free" | "pro";
export type Plan = {
  id: PlanId;
  name: string;
  recipeLimit: number | null;
  /** Members a team may have (its seats): invitations are accepted up to this many. */
  memberLimit: number;
  /** AI model calls per UTC day, by kind, for the whole team (lib/ai/quota.ts enforces them). */
  aiDailyQuota: { "recipe-draft": number; "week-plan": number };
  /** Bytes of recipe photos the team may keep (each recipe has at most one photo, on every plan). */
  photoStorageBytes: number;
  features: readonly string[];
};

export const FREE_RECIPE_LIMIT = 3;
export const FREE_MEMBER_LIMIT = 3;
export const PRO_MEMBER_LIMIT = 100;
export const FREE_AI_DRAFTS_PER_DAY = 5;
export const PRO_AI_DRAFTS_PER_DAY = 50;
const MiB = 1024 * 1024;

export const plans = {
  free: {
    id: "free",
    name: "Free",
    recipeLimit: FREE_RECIPE_LIMIT,
    memberLimit: FREE_MEMBER_LIMIT,
    aiDailyQuota: { "recipe-draft": FREE_AI_DRAFTS_PER_DAY, "week-plan": 1 },
    photoStorageBytes: 10 * MiB,
    features: [
      `Up to ${FREE_RECIPE_LIMIT} recipes`,
      `A team of up to ${FREE_MEMBER_LIMIT}`,
      "Publish to the public list",
      `${FREE_AI_DRAFTS_PER_DAY} AI drafts a day`,
      "A photo per recipe, 10 MB of photos in all",
    ],
  },
  pro: {
    id: "pro",
    name: "Pro",
    recipeLimit: null,
    memberLimit: PRO_MEMBER_LIMIT,
    aiDailyQuota: { "recipe-draft": PRO_AI_DRAFTS_PER_DAY, "week-plan": 10 },
    photoStorageBytes: 1024 * MiB,
    features: [
      "Unlimited recipes",
      `Billed per member, up to ${PRO_MEMBER_LIMIT}`,
      "Publish to the public list",
      `${PRO_AI_DRAFTS_PER_DAY} AI drafts a day`,
      "A photo per recipe, 1 GB of photos in all",
      "Cancel any time",
    ],
  },
} as const satisfies Record<PlanId, Plan>;

/**
 * Subscription statuses that grant Pro. `past_due` keeps Pro as a grace
 * period: Stripe retries a failed renewal for days and we email the customer,
 * so an expired card does not lock anyone out at once. Access ends when Stripe
 * stops retrying and the subscription turns `canceled` or `unpaid`.
 */
export const PRO_STATUSES = ["active", "trialing", "past_due"] as const;

export type TeamPlan = { plan: Plan; subscription: Subscription | null };

/**
 * The team's plan: Pro while any of its subscriptions is in a Pro status, else Free.
 * Memoized for one server render (React `cache`, keyed on the executor and team): the
 * dashboard asks for it three times (itself and each AI quota) and queries once.
 * Outside a render (actions' transactions, jobs, tests) every call queries.
 */
export const getTeamPlan = cache(async function getTeamPlan(db: Executor, teamId: string): Promise<TeamPlan> {
  const [subscription] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.organizationId, teamId), inArray(subscriptions.status, [...PRO_STATUSES])))
    .orderBy(desc(subscriptions.lastEventAt))
    .limit(1);
  return subscription ? { plan: plans.pro, subscription } : { plan: plans.free, subscription: null };
});

export async function countRecipes(db: Executor, teamId: string): Promise<number> {
  const [row] = await db.select({ total: count() }).from(recipes).where(eq(recipes.organizationId, teamId));
  return row?.total ?? 0;
}

/** A team's seats in use: its members. */
export async function countMembers(db: Executor, teamId: string): Promise<number> {
  const [row] = await db.select({ total: count() }).from(member).where(eq(member.organizationId, teamId));
  return row?.total ?? 0;
}

export type PlanUsage = TeamPlan & { recipeCount: number; memberCount: number };

/** Plan, recipe and member counts together, for the dashboard, billing and the pricing page. */
export async function getPlanUsage(db: Executor, teamId: string): Promise<PlanUsage> {
  const [teamPlan, recipeCount, memberCount] = await Promise.all([
    getTeamPlan(db, teamId),
    countRecipes(db, teamId),
    countMembers(db, teamId),
  ]);
  return { ...teamPlan, recipeCount, memberCount };
}

/** "2 of 3 recipes on Free", or "Pro: unlimited recipes". */
export function describeUsage({ plan, recipeCount }: Pick<PlanUsage, "plan" | "recipeCount">): string {
  if (plan.recipeLimit === null) return `${plan.name}: unlimited recipes (${recipeCount} so far)`;
  return `${recipeCount} of ${plan.recipeLimit} recipes on ${plan.name}`;
}

/**
 * Tells the team's open pages which plan it is on now. Call it inside the
 * transaction that changed its subscription, so the news commits with it.
 * With `unlessStill`, says nothing when the plan is still that one: for paths
 * that rewrite subscription rows without news for the user (reconciliation).
 * Returns whether it announced.
 */
export async function announcePlanChange(
  tx: Executor,
  teamId: string,
  { unlessStill }: { unlessStill?: PlanId } = {},
): Promise<boolean> {
  const { plan } = await getTeamPlan(tx, teamId);
  if (plan.id === unlessStill) return false;
  await publishRealtimeEvent(tx, { teamId }, "plan.changed", {
    plan: plan.id,
    planName: plan.name,
    recipeLimit: plan.recipeLimit,
  });
  return true;
}
