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
    </section>
  );
}
