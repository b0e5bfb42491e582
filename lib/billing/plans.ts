import "server-only";
import { cache } from "react";
import { and, count, desc, eq, inArray } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Subscription } from "@/lib/db/schema";
import { publishRealtimeEvent } from "@/lib/realtime";

const { recipes, subscriptions } = schema;

export type PlanId = "free" | "pro";
export type Plan = {
  id: PlanId;
  name: string;
  recipeLimit: number | null;
  /** AI model calls per UTC day, by kind (lib/ai/quota.ts enforces them). */
  aiDailyQuota: { "recipe-draft": number; "week-plan": number };
  /** Bytes of recipe photos the user may keep (each recipe has at most one photo, on every plan). */
  photoStorageBytes: number;
  features: readonly string[];
};

export const FREE_RECIPE_LIMIT = 3;
export const FREE_AI_DRAFTS_PER_DAY = 5;
export const PRO_AI_DRAFTS_PER_DAY = 50;
const MiB = 1024 * 1024;

export const plans = {
  free: {
    id: "free",
    name: "Free",
    recipeLimit: FREE_RECIPE_LIMIT,
    aiDailyQuota: { "recipe-draft": FREE_AI_DRAFTS_PER_DAY, "week-plan": 1 },
    photoStorageBytes: 10 * MiB,
    features: [
      `Up to ${FREE_RECIPE_LIMIT} recipes`,
      "Publish to the public list",
      `${FREE_AI_DRAFTS_PER_DAY} AI drafts a day`,
      "A photo per recipe, 10 MB of photos in all",
    ],
  },
  pro: {
    id: "pro",
    name: "Pro",
    recipeLimit: null,
    aiDailyQuota: { "recipe-draft": PRO_AI_DRAFTS_PER_DAY, "week-plan": 10 },
    photoStorageBytes: 1024 * MiB,
    features: [
      "Unlimited recipes",
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

export type UserPlan = { plan: Plan; subscription: Subscription | null };

/**
 * The user's plan: Pro while any of their subscriptions is in a Pro status, else Free.
 * Memoized for one server render (React `cache`, keyed on the executor and user): the
 * dashboard asks for it three times (itself and each AI quota) and now queries once.
 * Outside a render (actions' transactions, jobs, tests) every call queries.
 */
export const getUserPlan = cache(async function getUserPlan(db: Executor, userId: string): Promise<UserPlan> {
  const [subscription] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.status, [...PRO_STATUSES])))
    .orderBy(desc(subscriptions.lastEventAt))
    .limit(1);
  return subscription ? { plan: plans.pro, subscription } : { plan: plans.free, subscription: null };
});

export async function countRecipes(db: Executor, userId: string): Promise<number> {
  const [row] = await db.select({ total: count() }).from(recipes).where(eq(recipes.userId, userId));
  return row?.total ?? 0;
}

export type PlanUsage = UserPlan & { recipeCount: number };

/** Plan and recipe count together, for the dashboard and the pricing page. */
export async function getPlanUsage(db: Executor, userId: string): Promise<PlanUsage> {
  const [userPlan, recipeCount] = await Promise.all([getUserPlan(db, userId), countRecipes(db, userId)]);
  return { ...userPlan, recipeCount };
}

/** "2 of 3 recipes on Free", or "Pro: unlimited recipes". */
export function describeUsage({ plan, recipeCount }: PlanUsage): string {
  if (plan.recipeLimit === null) return `${plan.name}: unlimited recipes (${recipeCount} so far)`;
  return `${recipeCount} of ${plan.recipeLimit} recipes on ${plan.name}`;
}

/**
 * Tells the user's open pages which plan they are on now. Call it inside the
 * transaction that changed their subscription, so the news commits with it.
 * With `unlessStill`, says nothing when the plan is still that one: for paths
 * that rewrite subscription rows without news for the user (reconciliation).
 * Returns whether it announced.
 */
export async function announcePlanChange(
  tx: Executor,
  userId: string,
  { unlessStill }: { unlessStill?: PlanId } = {},
): Promise<boolean> {
  const { plan } = await getUserPlan(tx, userId);
  if (plan.id === unlessStill) return false;
  await publishRealtimeEvent(tx, { userId }, "plan.changed", {
    plan: plan.id,
    planName: plan.name,
    recipeLimit: plan.recipeLimit,
  });
  return true;
}

/** The same, for a change known by its subscription id (e.g. a paid invoice). */
export async function announcePlanChangeOfSubscription(tx: Executor, subscriptionId: string): Promise<void> {
  const [row] = await tx
    .select({ userId: subscriptions.userId })
    .from(subscriptions)
    .where(eq(subscriptions.id, subscriptionId));
  // A deleted account's payment record has no user left to tell.
  if (row?.userId) await announcePlanChange(tx, row.userId);
}
