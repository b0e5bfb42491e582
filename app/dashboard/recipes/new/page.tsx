import type { Metadata } from "next";
import { requireUser } from "@/lib/actions";
import { RecipeForm } from "../recipe-form";

export const metadata: Metadata = { title: "New recipe" };

export default async function NewRecipePage() {
  await requireUser("/dashboard/recipes/new");
  return (
    <section className="mx-auto max-w-xl">
      <h1 className="mb-6 text-2xl font-semibold">New recipe</h1>
      <RecipeForm />
      <p className="mt-4 text-sm text-stone-600">You can add a photo once the recipe is saved (Edit).</p>
    </section>
  );
}
