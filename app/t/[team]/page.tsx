import type { Metadata } from "next";
import Link from "next/link";
import { Plus } from "lucide-react";
import { EmptyState } from "@/app/_components/empty-state";
import { RecipePhoto } from "@/app/_components/recipe-photo";
import { VerifyEmailBanner } from "@/app/_components/verify-email-banner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { getAiUsageByKind, getLatestWeekPlan } from "@/lib/ai";
import { describeUsage, getTeamPlan } from "@/lib/billing";
import { db } from "@/lib/db";
import { listTeamRecipesWithPhotos } from "@/lib/recipes";
import { can } from "@/lib/teams/permissions";
import { currentTeam } from "./current-team";
import { LiveDashboard, LivePlanBadge } from "./live-updates";
import { RecipeRowActions } from "./recipe-row-actions";
import { WeekPlanPanel } from "./week-plan";

export const metadata: Metadata = { title: "Recipes" };

// "Plan my week" runs after this page's Server Action answers when there is no Trigger.dev (Vercel's
// after() is bounded by this): room for the model's timeout (AI_TIMEOUT_MS, 60 s by default).
export const maxDuration = 90;

// A Server Component: it awaits the team's recipes on the server. No client fetching, no useEffect.
export default async function TeamRecipesPage({ params }: { params: Promise<{ team: string }> }) {
  const { user, team } = await currentTeam(params);
  // One step of reads, in parallel; the plan query is shared with the AI quotas (React `cache`).
  const [recipes, teamPlan, aiUsage, weekPlan] = await Promise.all([
    listTeamRecipesWithPhotos(db, team.id),
    getTeamPlan(db, team.id),
    getAiUsageByKind(db, team.id),
    getLatestWeekPlan(db, team.id),
  ]);
  // The page lists every recipe anyway, so the usage count needs no query of its own.
  const usage = { ...teamPlan, recipeCount: recipes.length };
  const drafts = aiUsage["recipe-draft"];
  const managesRecipes = can(team.role, "recipes:manage");
  const plansLink = can(team.role, "billing:manage") ? `/t/${team.slug}/billing` : "/pricing";
  const newRecipe = `/t/${team.slug}/recipes/new`;

  return (
    <LiveDashboard teamId={team.id} plan={usage.plan.id} planName={usage.plan.name}>
      <section className="space-y-6">
        {!user.emailVerified && <VerifyEmailBanner email={user.email} />}
        <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0 space-y-1 text-sm text-muted-foreground">
            <h1 className="text-2xl font-semibold break-words text-foreground">
              {team.personal ? "Your recipes" : `${team.name}'s recipes`}
            </h1>
            <p className="break-words">Signed in as {user.email}</p>
            <p>
              <LivePlanBadge /> {describeUsage(usage)} ·{" "}
              <Link href={plansLink} className="font-medium text-link underline">
                {usage.plan.id === "free" ? "Upgrade" : "Plans and billing"}
              </Link>
            </p>
            <p data-testid="ai-drafts-left">
              {drafts.left} of {drafts.quota} AI drafts left today
            </p>
          </div>
          <Button asChild>
            <Link href={newRecipe}>
              <Plus aria-hidden="true" />
              New recipe
            </Link>
          </Button>
        </div>

        <WeekPlanPanel view={weekPlan} usage={aiUsage["week-plan"]} />

        {recipes.length === 0 ? (
          <EmptyState>
            No recipes yet.{" "}
            <Link href={newRecipe} className="font-medium text-link underline">
              Write your first one
            </Link>
            .
          </EmptyState>
        ) : (
          <ul className="divide-y divide-border rounded-lg border border-border bg-card" aria-label="Recipes">
            {recipes.map((recipe) => (
              // Stacked on a phone (the actions under the text, which keeps the full width), side by side from 640 px.
              <li key={recipe.id} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-start">
                <div className="flex min-w-0 flex-1 gap-3">
                  {recipe.photoId && (
                    <RecipePhoto uploadId={recipe.photoId} title={recipe.title} className="size-16 shrink-0" />
                  )}
                  <div className="min-w-0 flex-1">
                    <h2 className="font-medium break-words">
                      {recipe.title}{" "}
                      <Badge variant={recipe.published ? "success" : "neutral"} className="ml-1">
                        {recipe.published ? "Published" : "Draft"}
                      </Badge>
                    </h2>
                    {recipe.description && (
                      <p className="mt-1 line-clamp-2 text-sm break-words text-muted-foreground">
                        {recipe.description}
                      </p>
                    )}
                    <p className="mt-1 text-xs text-muted-foreground">
                      {recipe.ingredients.length} ingredients
                      {!team.personal && recipe.author ? ` · by ${recipe.author}` : ""}
                    </p>
                  </div>
                </div>
                {(managesRecipes || recipe.createdBy === user.id) && (
                  <RecipeRowActions id={recipe.id} title={recipe.title} published={recipe.published} />
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </LiveDashboard>
  );
}
