import { z } from "zod";
import { recipeFields } from "@/lib/recipes/schema";
import type { Recipe } from "@/lib/db/schema";

// The public API's recipe: the request and answer schemas the routes validate with and the OpenAPI
// document is generated from (lib/api/openapi.ts). Field rules come from lib/recipes/schema.ts, the
// forms' own, so a recipe valid in one is valid in the other.

const exampleRecipe = {
  id: "0f3c9c1e-8a4b-4f3e-9a57-3f1c2b7d9e10",
  title: "Weeknight dal",
  description: "Red lentils, cumin and a lot of garlic.",
  ingredients: ["200 g red lentils", "1 tsp cumin seeds", "4 cloves garlic"],
  steps: ["Rinse the lentils.", "Simmer 20 minutes.", "Fry the spices and stir them in."],
};

export const recipeCreate = z
  .strictObject({
    title: recipeFields.title.meta({ description: "2 to 120 characters.", example: exampleRecipe.title }),
    description: recipeFields.description.default("").meta({ description: "At most 2000 characters." }),
    ingredients: recipeFields.ingredients.default([]).meta({ description: "At most 100, each under 200 characters." }),
    steps: recipeFields.steps.default([]).meta({ description: "At most 50, each under 1000 characters." }),
  })
  .meta({
    id: "RecipeCreate",
    description: "A new recipe. Unknown fields are refused. Publish it afterwards with PATCH.",
    example: exampleRecipe,
  });

export const recipePatch = z
  .strictObject({
    title: recipeFields.title.optional(),
    description: recipeFields.description.optional(),
    ingredients: recipeFields.ingredients.optional(),
    steps: recipeFields.steps.optional(),
    published: z.boolean().optional().meta({
      description:
        "true publishes the recipe on the public landing page (the key's maker needs a confirmed email address); false takes it down.",
    }),
  })
  .refine((patch) => Object.keys(patch).length > 0, { error: "Send at least one field to change." })
  .meta({
    id: "RecipePatch",
    description: "The fields to change; the others stay. Unknown fields are refused.",
    example: { published: true },
  });

export const recipeJson = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    ingredients: z.array(z.string()),
    steps: z.array(z.string()),
    published: z.boolean(),
    published_at: z.iso.datetime().nullable(),
    version: z.int().min(1).meta({ description: 'Goes up by one with every change; the ETag is `"v<version>"`.' }),
    created_by: z
      .string()
      .nullable()
      .meta({ description: "The id of the member who created it (null once their account is deleted)." }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({
    id: "Recipe",
    example: {
      ...exampleRecipe,
      published: false,
      published_at: null,
      version: 1,
      created_by: "usr_5tQk2",
      created_at: "2026-12-07T09:30:00.000Z",
      updated_at: "2026-12-07T09:30:00.000Z",
    },
  });

export const recipeList = z
  .object({
    data: z.array(recipeJson),
    next_cursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
  })
  .meta({ id: "RecipeList" });

export const recipeIdParams = z.object({
  id: z.uuid({ error: "Not a recipe id." }).meta({ description: "The recipe's id.", example: exampleRecipe.id }),
});

export const pageQuery = z.object({
  limit: z.coerce
    .number({ error: "A number from 1 to 100." })
    .int({ error: "A number from 1 to 100." })
    .min(1, { error: "A number from 1 to 100." })
    .max(100, { error: "A number from 1 to 100." })
    .default(20)
    .meta({ description: "How many to return, 1 to 100 (default 20)." }),
  cursor: z.string().max(200).optional().meta({ description: "The `next_cursor` of the previous page." }),
});

/** The answer's form of a stored recipe. */
export function toRecipeJson(recipe: Recipe): z.output<typeof recipeJson> {
  return {
    id: recipe.id,
    title: recipe.title,
    description: recipe.description,
    ingredients: recipe.ingredients,
    steps: recipe.steps,
    published: recipe.published,
    published_at: recipe.publishedAt?.toISOString() ?? null,
    version: recipe.version,
    created_by: recipe.createdBy,
    created_at: recipe.createdAt.toISOString(),
    updated_at: recipe.updatedAt.toISOString(),
  };
}
