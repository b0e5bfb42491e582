import { revalidatePath } from "next/cache";
import { apiActor, apiRoute, etagOf, ifMatchVersions, notModified, parseInput } from "@/lib/api";
import { recipeIdParams, recipePatch, toRecipeJson } from "@/lib/api/recipes";
import { deleteRecipe, getRecipeForMember, patchRecipe, PUBLISHED_LIST_PATH, RecipeNotFoundError } from "@/lib/recipes";

// One recipe of the key's team: another team's id is 404, as an unknown one is. Writes honour
// If-Match (412 when the recipe changed since the client read it) and Idempotency-Key.

type Params = { id: string };

export const GET = apiRoute<Params>({ scope: "recipes:read" }, async ({ req, db, caller, params }) => {
  const { id } = parseInput(recipeIdParams, params, "query");
  const recipe = await getRecipeForMember(db, apiActor(caller), id);
  if (!recipe) throw new RecipeNotFoundError();
  const headers = { ETag: etagOf(recipe.version) };
  if (notModified(req, recipe.version)) return new Response(null, { status: 304, headers });
  return Response.json(toRecipeJson(recipe), { headers });
});

export const PATCH = apiRoute<Params>(
  { scope: "recipes:write", write: { body: true } },
  async ({ req, db, caller, params, input, afterWrite }) => {
    const { id } = parseInput(recipeIdParams, params, "query");
    const patch = input(recipePatch);
    const recipe = await patchRecipe(db, apiActor(caller), id, patch, {
      ifVersion: ifMatchVersions(req),
    });
    // The landing page lists published recipes: refresh it when this one's presence there may have changed.
    if (patch.published !== undefined || recipe.published) afterWrite(() => revalidatePath(PUBLISHED_LIST_PATH));
    return Response.json(toRecipeJson(recipe), { headers: { ETag: etagOf(recipe.version) } });
  },
);

export const DELETE = apiRoute<Params>(
  { scope: "recipes:write", write: { body: false } },
  async ({ req, db, caller, params, afterWrite }) => {
    const { id } = parseInput(recipeIdParams, params, "query");
    const recipe = await deleteRecipe(db, apiActor(caller), id, {
      ifVersion: ifMatchVersions(req),
    });
    if (recipe.published) afterWrite(() => revalidatePath(PUBLISHED_LIST_PATH));
    return new Response(null, { status: 204 });
  },
);
