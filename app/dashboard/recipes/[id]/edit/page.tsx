import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/actions";
import { getRecipeForUser } from "@/lib/recipes";
import { RecipeForm } from "../../recipe-form";

export const metadata: Metadata = { title: "Edit recipe" };

export default async function EditRecipePage({ params }: PageProps<"/dashboard/recipes/[id]/edit">) {
  const { id } = await params;
  const user = await requireUser(`/dashboard/recipes/${id}/edit`);
  // Someone else's recipe looks exactly like a missing one.
  const recipe = z.uuid().safeParse(id).success ? await getRecipeForUser(user.id, id) : null;
  if (!recipe) notFound();
  return (
    <section className="mx-auto max-w-xl">
      <h1 className="mb-6 text-2xl font-semibold">Edit recipe</h1>
      <RecipeForm recipe={recipe} />
    </section>
  );
}
