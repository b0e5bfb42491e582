import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { db } from "@/lib/db";
import { getRecipeForMember } from "@/lib/recipes";
import { photoIdsForRecipes, photoPath, photoUploadsAvailable } from "@/lib/uploads";
import { currentTeam } from "../../../current-team";
import { PhotoPicker } from "../../photo-picker";
import { RecipeForm } from "../../recipe-form";

export const metadata: Metadata = { title: "Edit recipe" };

export default async function EditRecipePage({ params }: { params: Promise<{ team: string; id: string }> }) {
  const { id } = await params;
  const { user, team } = await currentTeam(params, `/recipes/${id}/edit`);
  // Another team's recipe, or one this member may not change, looks exactly like a missing one.
  const recipe = z.uuid().safeParse(id).success
    ? await getRecipeForMember(db, { teamId: team.id, userId: user.id }, id)
    : null;
  if (!recipe?.mayChange) notFound();
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
