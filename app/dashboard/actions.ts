"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { validatedActionWithUser } from "@/lib/actions";
import { requestWeekPlan } from "@/lib/ai/week-plan";
import { trackProductEvent } from "@/lib/observability/analytics";
import {
  PUBLISHED_LIST_PATH,
  RecipeLimitReachedError,
  RecipeNotFoundError,
  createRecipe,
  deleteRecipe,
  setRecipePublished,
  updateRecipe,
} from "@/lib/recipes";
import { recipeId, recipeInput, recipePublish, recipeUpdate } from "@/lib/recipes/schema";
import { db } from "@/lib/db";
import { removeRecipePhoto } from "@/lib/uploads";
import { EmailNotVerifiedError } from "@/lib/verified-email";

/** After a change: the author's dashboard re-renders, and the public list is expired at once (read your own writes). */
function refresh(publicListChanged: boolean) {
  revalidatePath("/dashboard");
  if (publicListChanged) revalidatePath(PUBLISHED_LIST_PATH);
}

/** Refusals the cook can act on become a message (a missing recipe and someone else's look the same); bugs are rethrown. */
function refusal(error: unknown) {
  if (error instanceof RecipeNotFoundError) return { error: "That recipe does not exist or is not yours." };
  if (error instanceof EmailNotVerifiedError) return { error: error.message };
  throw error;
}

export const createRecipeAction = validatedActionWithUser(recipeInput, async (input, user) => {
  try {
    const recipe = await createRecipe(db, user.id, input);
    await trackProductEvent(user.id, "recipe created", { recipeId: recipe.id });
  } catch (error) {
    if (!(error instanceof RecipeLimitReachedError)) throw error;
    return {
      error: `${error.message} Upgrade to Pro for unlimited recipes, or delete one first.`,
      upgrade: true,
      // The form keeps what was typed.
      values: {
        title: input.title,
        description: input.description,
        ingredients: input.ingredients.join("\n"),
        steps: input.steps.join("\n"),
      },
    };
  }
  refresh(false);
  redirect("/dashboard");
});

export const updateRecipeAction = validatedActionWithUser(recipeUpdate, async ({ id, ...input }, user) => {
  try {
    const recipe = await updateRecipe(db, user.id, id, input);
    refresh(recipe.published);
  } catch (error) {
    return refusal(error);
  }
  redirect("/dashboard");
});

export const deleteRecipeAction = validatedActionWithUser(recipeId, async ({ id }, user) => {
  try {
    const recipe = await deleteRecipe(db, user.id, id);
    refresh(recipe.published);
    return { ok: true, message: `Deleted “${recipe.title}”.` };
  } catch (error) {
    return refusal(error);
  }
});

export const setPublishedAction = validatedActionWithUser(recipePublish, async ({ id, published }, user) => {
  try {
    const recipe = await setRecipePublished(db, user.id, id, published);
    if (published) await trackProductEvent(user.id, "recipe published", { recipeId: recipe.id });
    refresh(true);
    return { ok: true, message: published ? `Published “${recipe.title}”.` : `Unpublished “${recipe.title}”.` };
  } catch (error) {
    return refusal(error);
  }
});

export const removePhotoAction = validatedActionWithUser(recipeId, async ({ id }, user) => {
  if (!(await removeRecipePhoto(db, user.id, id))) return { error: "That recipe has no photo to remove." };
  refresh(true);
  return { ok: true, message: "Photo removed." };
});

/** "Plan my week": reserves the plan against today's quota and starts the job; the dashboard shows it when stored. */
export const planWeekAction = validatedActionWithUser(z.object({}), async (_input, user) => {
  const result = await requestWeekPlan(db, user.id);
  if (result.kind === "quota-exceeded") return { error: result.message, upgrade: result.upgrade };
  if (result.kind === "failed") return { error: result.message };
  // The re-rendered panel says the plan is on its way (and replaces itself with the plan when it is stored).
  revalidatePath("/dashboard");
  return { ok: true };
});
