import { z } from "zod";

/** A list's items: each trimmed, none empty, each and their count bounded. The forms and the API share it. */
function itemList(item: string, { maxLength, maxItems }: { maxLength: number; maxItems: number }) {
  return z
    .array(
      z
        .string()
        .trim()
        .min(1, { error: `An ${item} cannot be empty.` })
        .max(maxLength, { error: `Keep each ${item} under ${maxLength} characters.` }),
    )
    .max(maxItems, { error: `At most ${maxItems} ${item}s.` });
}

/** One definition of each field of a valid recipe: the forms' schema below and the public API's use these. */
export const recipeFields = {
  title: z
    .string()
    .trim()
    .min(2, { error: "Give the recipe a title (at least 2 characters)." })
    .max(120, { error: "Keep the title under 120 characters." }),
  description: z.string().trim().max(2000, { error: "Keep the description under 2000 characters." }),
  ingredients: itemList("ingredient", { maxLength: 200, maxItems: 100 }),
  steps: itemList("step", { maxLength: 1000, maxItems: 50 }),
};

/** A textarea holding a list: one item per line, blank lines dropped, then the list's rules. */
const oneItemPerLine = (list: ReturnType<typeof itemList>) =>
  z
    .string()
    .default("")
    .transform((text) =>
      text
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    )
    .pipe(list);

/** Shared by the Server Actions and the forms: one definition of a valid recipe. */
export const recipeInput = z.object({
  title: recipeFields.title,
  description: recipeFields.description.default(""),
  // The form sends one ingredient, and one step, per line.
  ingredients: oneItemPerLine(recipeFields.ingredients),
  steps: oneItemPerLine(recipeFields.steps),
});

export const recipeId = z.object({ id: z.uuid({ error: "Unknown recipe." }) });

export const recipeUpdate = recipeInput.extend(recipeId.shape);

export const recipePublish = recipeId.extend({ published: z.enum(["true", "false"]).transform((v) => v === "true") });

export type RecipeInput = z.output<typeof recipeInput>;
