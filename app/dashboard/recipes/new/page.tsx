import type { Metadata } from "next";
import { isAiProviderConfigured } from "@/lib/ai/model";
import { getAiUsage } from "@/lib/ai/quota";
import { requireUser } from "@/lib/auth";
import { db } from "@/lib/db";
import { NewRecipeForm } from "./new-recipe-form";

export const metadata: Metadata = { title: "New recipe" };

export default async function NewRecipePage() {
  const user = await requireUser("/dashboard/recipes/new");
  const usage = await getAiUsage(db, user.id);
  return (
    <section className="mx-auto max-w-xl">
      <h1 className="mb-6 text-2xl font-semibold">New recipe</h1>
      <NewRecipeForm draftsLeft={usage.left} dailyQuota={usage.quota} offline={!isAiProviderConfigured} />
      <p className="mt-4 text-sm text-stone-600">You can add a photo once the recipe is saved (Edit).</p>
    </section>
  );
}
