import type { Metadata } from "next";
import { getAiUsage, isAiProviderConfigured } from "@/lib/ai";
import { db } from "@/lib/db";
import { currentTeam } from "../../current-team";
import { NewRecipeForm } from "./new-recipe-form";

export const metadata: Metadata = { title: "New recipe" };

export default async function NewRecipePage({ params }: { params: Promise<{ team: string }> }) {
  const { team } = await currentTeam(params, "/recipes/new");
  const usage = await getAiUsage(db, team.id);
  return (
    <section className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">New recipe</h1>
      <NewRecipeForm draftsLeft={usage.left} dailyQuota={usage.quota} offline={!isAiProviderConfigured} />
      <p className="text-sm text-muted-foreground">You can add a photo once the recipe is saved (Edit).</p>
    </section>
  );
}
