import { apiActor, apiRoute, decodeCursor, encodeCursor, parseInput, etagOf } from "@/lib/api";
import { pageQuery, recipeCreate, toRecipeJson } from "@/lib/api/recipes";
import { createRecipe, listTeamRecipesPage } from "@/lib/recipes";

// The public API's recipes: the key's team's, newest first, a page at a time; and create. The same
// lib/recipes functions as the team page's Server Actions, so plan limits and roles hold the same way.

export const GET = apiRoute({ scope: "recipes:read" }, async ({ req, db, caller }) => {
  const query = parseInput(pageQuery, Object.fromEntries(new URL(req.url).searchParams), "query");
  const page = await listTeamRecipesPage(db, caller.teamId, { limit: query.limit, after: decodeCursor(query.cursor) });
  return Response.json({
    data: page.recipes.map(toRecipeJson),
    next_cursor: page.next ? encodeCursor(page.next) : null,
  });
});

export const POST = apiRoute({ scope: "recipes:write", write: { body: true } }, async ({ req, db, caller, input }) => {
  const recipe = await createRecipe(db, apiActor(caller), input(recipeCreate));
  return Response.json(toRecipeJson(recipe), {
    status: 201,
    headers: { Location: new URL(`/api/v1/recipes/${recipe.id}`, req.url).pathname, ETag: etagOf(recipe.version) },
  });
});
