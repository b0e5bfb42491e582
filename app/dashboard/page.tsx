import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth";
import { getAiUsageByKind } from "@/lib/ai/quota";
import { getLatestWeekPlan } from "@/lib/ai/week-plan";
import { describeUsage, getUserPlan } from "@/lib/billing/plans";
import { db } from "@/lib/db";
import { listRecipesWithPhotosForUser } from "@/lib/recipes";
import { RecipePhoto } from "@/app/_components/recipe-photo";
import { VerifyEmailBanner } from "@/app/_components/verify-email-banner";
import { LivePlanBadge } from "./live-updates";
import { RecipeRowActions } from "./recipe-row-actions";
import { WeekPlanPanel } from "./week-plan";

export const metadata: Metadata = { title: "Dashboard" };

// "Plan my week" runs after this page's Server Action answers when there is no Trigger.dev (Vercel's
// after() is bounded by this): room for the model's timeout (AI_TIMEOUT_MS, 60 s by default).
export const maxDuration = 90;

// A Server Component: it awaits the user's recipes on the server. No client fetching, no useEffect.
export default async function DashboardPage() {
  const user = await requireUser("/dashboard");
  // One step of reads, in parallel; the plan query is shared with the AI quotas (React `cache`).
  const [recipes, userPlan, aiUsage, weekPlan] = await Promise.all([
    listRecipesWithPhotosForUser(db, user.id),
    getUserPlan(db, user.id),
    getAiUsageByKind(db, user.id),
    getLatestWeekPlan(db, user.id),
  ]);
  // The page lists every recipe anyway, so the usage count needs no query of its own.
  const usage = { ...userPlan, recipeCount: recipes.length };
  const drafts = aiUsage["recipe-draft"];

  return (
    <section className="space-y-6">
      {!user.emailVerified && <VerifyEmailBanner email={user.email} />}
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Your recipes</h1>
          <p className="text-sm text-stone-600">Signed in as {user.email}</p>
          <p className="text-sm text-stone-600">
            <LivePlanBadge plan={usage.plan.id} planName={usage.plan.name} /> {describeUsage(usage)} ·{" "}
            <Link href="/pricing" className="text-emerald-800 underline">
              {usage.plan.id === "free" ? "Upgrade" : "Plans and billing"}
            </Link>
          </p>
          <p className="text-sm text-stone-600" data-testid="ai-drafts-left">
            {drafts.left} of {drafts.quota} AI drafts left today
          </p>
        </div>
        <div className="flex items-center gap-3">
          <Link
            href="/dashboard/recipes/new"
            className="rounded-md bg-emerald-700 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-emerald-800"
          >
            New recipe
          </Link>
        </div>
      </div>

      <WeekPlanPanel view={weekPlan} usage={aiUsage["week-plan"]} />

      {recipes.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-8 text-center text-stone-600">
          No recipes yet.{" "}
          <Link href="/dashboard/recipes/new" className="text-emerald-800 underline">
            Write your first one
          </Link>
          .
        </p>
      ) : (
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white" aria-label="Your recipes">
          {recipes.map((recipe) => (
            <li key={recipe.id} className="flex flex-wrap items-start justify-between gap-4 p-4">
              {recipe.photoId && (
                <RecipePhoto
                  uploadId={recipe.photoId}
                  title={recipe.title}
                  className="h-16 w-16 rounded-md object-cover"
                />
              )}
              <div className="min-w-0 flex-1">
                <h2 className="font-medium">
                  {recipe.title}{" "}
                  <span
                    className={`ml-1 rounded-full px-2 py-0.5 text-xs ${recipe.published ? "bg-emerald-100 text-emerald-800" : "bg-stone-100 text-stone-600"}`}
                  >
                    {recipe.published ? "Published" : "Draft"}
                  </span>
                </h2>
                {recipe.description && <p className="mt-1 line-clamp-2 text-sm text-stone-600">{recipe.description}</p>}
                <p className="mt-1 text-xs text-stone-500">{recipe.ingredients.length} ingredients</p>
              </div>
              <RecipeRowActions id={recipe.id} title={recipe.title} published={recipe.published} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
