import { z } from "zod";

/** A textarea holding a list: one item per line, trimmed, blank lines dropped, each item and the count bounded. */
function oneItemPerLine(item: string, { maxLength, maxItems }: { maxLength: number; maxItems: number }) {
  return z
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
        .array(z.string().max(maxLength, { error: `Keep each ${item} under ${maxLength} characters.` }))
        .max(maxItems, { error: `At most ${maxItems} ${item}s.` }),
    );
}

/** Shared by the Server Actions and the forms: one definition of a valid recipe. */
export const recipeInput = z.object({
  title: z
    .string()
    .trim()
    .min(2, { error: "Give the recipe a title (at least 2 characters)." })
    .max(120, { error: "Keep the title under 120 characters." }),
  description: z.string().trim().max(2000, { error: "Keep the description under 2000 characters." }).default(""),
  // The form sends one ingredient, and one step, per line.
  ingredients: oneItemPerLine("ingredient", { maxLength: 200, maxItems: 100 }),
  steps: oneItemPerLine("step", { maxLength: 1000, maxItems: 50 }),
});

export const recipeId = z.object({ id: z.uuid({ error: "Unknown recipe." }) });

export const recipeUpdate = recipeInput.extend(recipeId.shape);

export const recipePublish = recipeId.extend({ published: z.enum(["true", "false"]).transform((v) => v === "true") });

export type RecipeInput = z.output<typeof recipeInput>;
