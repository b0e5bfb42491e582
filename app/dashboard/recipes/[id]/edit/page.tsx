import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth";
import { db } from "@/lib/db";
import { getRecipeForUser } from "@/lib/recipes";
import { photoIdsForRecipes, photoPath, photoUploadsAvailable } from "@/lib/uploads";
import { PhotoPicker } from "../../photo-picker";
import { RecipeForm } from "../../recipe-form";

export const metadata: Metadata = { title: "Edit recipe" };

export default async function EditRecipePage({ params }: PageProps<"/dashboard/recipes/[id]/edit">) {
  const { id } = await params;
  const user = await requireUser(`/dashboard/recipes/${id}/edit`);
  // Someone else's recipe looks exactly like a missing one.
  const recipe = z.uuid().safeParse(id).success ? await getRecipeForUser(db, user.id, id) : null;
  if (!recipe) notFound();
  const photoId = (await photoIdsForRecipes(db, [recipe.id])).get(recipe.id);
  return (
    <section className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">Edit recipe</h1>
      {photoUploadsAvailable && (
        <PhotoPicker recipeId={recipe.id} title={recipe.title} photoUrl={photoId ? photoPath(photoId) : null} />
      )}
      <RecipeForm recipe={recipe} />
    </section>
  );
}
