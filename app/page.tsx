import { connection } from "next/server";
import { env } from "@/lib/core/env";
import { logger } from "@/lib/core/logger";
import { db } from "@/lib/db";
import { listPublishedRecipesWithPhotos } from "@/lib/recipes";
import { withTimeout } from "@/lib/core/timing";
import { EmptyState } from "@/app/_components/empty-state";
import { RecipePhoto } from "@/app/_components/recipe-photo";
import { Card } from "@/components/ui/card";
import { HomeInvitation } from "./home-invitation";

/**
 * A static page: Next serves it from its full-route cache like a plain HTML
 * file, and renders it again in the background when a request finds it over
 * 10 seconds old (that catches writes made outside the app, such as
 * `npm run db:seed`). The app's own writes expire it at once with
 * `revalidatePath(PUBLISHED_LIST_PATH)` (lib/recipes). Nothing on it depends on
 * who is looking: the signed-in sentence is a client island (HomeInvitation),
 * as are the header's account links.
 */
export const revalidate = 10;

export default async function HomePage() {
  const recipes = await readPublishedRecipes();

  return (
    <section className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold sm:text-3xl">Recipes from our cooks</h1>
        <p className="text-muted-foreground">
          Published recipes appear here. <HomeInvitation />
        </p>
      </div>
      {recipes.length === 0 ? (
        <EmptyState>Nothing published yet.</EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2" aria-label="Published recipes">
          {recipes.map((recipe) => (
            <Card asChild key={recipe.id} className="shadow-sm">
              <li>
                {recipe.photoId && (
                  <RecipePhoto uploadId={recipe.photoId} title={recipe.title} className="mb-3 h-40 w-full" />
                )}
                <h2 className="text-lg font-medium break-words">{recipe.title}</h2>
                <p className="text-xs text-muted-foreground">by {recipe.author}</p>
                {recipe.description && <p className="mt-2 text-sm break-words text-stone-700">{recipe.description}</p>}
                {recipe.ingredients.length > 0 && (
                  <ul className="mt-3 list-disc pl-5 text-sm break-words text-stone-700">
                    {recipe.ingredients.map((ingredient, index) => (
                      <li key={index}>{ingredient}</li>
                    ))}
                  </ul>
                )}
              </li>
            </Card>
          ))}
        </ul>
      )}
    </section>
  );
}

const building = env.NEXT_PHASE === "phase-production-build";

/**
 * `next build` prerenders this page from DATABASE_URL when it can read it, so
 * the first visitor after a deploy gets the real list from the cache. A build
 * that cannot (no DATABASE_URL, or the database is down or not migrated yet)
 * must still succeed, and a snapshot of an empty list would be wrong until its
 * first revalidation: `connection()` makes this build's `/` render per request
 * instead (right, but not cached). The next build that reads the database makes it static again.
 */
async function readPublishedRecipes() {
  if (!building) return listPublishedRecipesWithPhotos(db);
  if (!env.DATABASE_URL) {
    logger.warn("/ renders per request in this build: the build has no DATABASE_URL to prerender it from");
    await connection();
  }
  try {
    return await withTimeout(listPublishedRecipesWithPhotos(db), 15_000);
  } catch (error) {
    logger.warn({ err: error }, "/ renders per request in this build: the database did not answer the build");
    await connection();
    throw error;
  }
}
