import { z } from "zod";

/** Shared by the Server Actions and the forms: one definition of a valid recipe. */
export const recipeInput = z.object({
  title: z
    .string()
    .trim()
    .min(2, { error: "Give the recipe a title (at least 2 characters)." })
    .max(120, { error: "Keep the title under 120 characters." }),
  description: z.string().trim().max(2000, { error: "Keep the description under 2000 characters." }).default(""),
  // The form sends one ingredient per line.
  ingredients: z
    .string()
    .default("")
    .transform((text) =>
      text
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().max(200, { error: "Keep each ingredient under 200 characters." }))
        .max(100, { error: "At most 100 ingredients." }),
    ),
  // One step per line, like the ingredients.
  steps: z
    .string()
    .default("")
    .transform((text) =>
      text
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().max(1000, { error: "Keep each step under 1000 characters." }))
        .max(50, { error: "At most 50 steps." }),
    ),
});

export const recipeId = z.object({ id: z.uuid({ error: "Unknown recipe." }) });

export const recipeUpdate = recipeInput.extend(recipeId.shape);

export const recipePublish = recipeId.extend({ published: z.enum(["true", "false"]).transform((v) => v === "true") });

export type RecipeInput = z.output<typeof recipeInput>;
