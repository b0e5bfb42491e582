"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { validatedActionWithUser } from "@/lib/actions";
import { requestWeekPlan } from "@/lib/ai";
import { db } from "@/lib/db";
import { trackProductEvent } from "@/lib/observability/analytics";
import { PUBLISHED_LIST_PATH, createRecipe, deleteRecipe, setRecipePublished, updateRecipe } from "@/lib/recipes";
import { recipeId, recipeInput, recipePublish, recipeUpdate } from "@/lib/recipes/schema";
import { requireMembership, type TeamView } from "@/lib/teams";
import { teamRef } from "@/lib/teams/schema";
import { removeRecipePhoto } from "@/lib/uploads";

// Every form names its team (a hidden `teamId`): two tabs on two teams never write into the wrong one. lib/ checks
// the membership and the role in the statement that writes, and refuses with an AppError the form shows.

/** The team's page re-renders, and the public list is expired at once when it changed (read your own writes). */
function refresh(team: TeamView, publicListChanged: boolean) {
  revalidatePath(`/t/${team.slug}`);
  if (publicListChanged) revalidatePath(PUBLISHED_LIST_PATH);
}

export const createRecipeAction = validatedActionWithUser(
  recipeInput.extend(teamRef.shape),
  async ({ teamId, ...input }, user) => {
    const recipe = await createRecipe(db, { teamId, userId: user.id }, input);
    await trackProductEvent(user.id, "recipe created", { recipeId: recipe.id });
    const team = await requireMembership(db, teamId, user.id);
    refresh(team, false);
    redirect(`/t/${team.slug}`);
  },
);

export const updateRecipeAction = validatedActionWithUser(
  recipeUpdate.extend(teamRef.shape),
  async ({ id, teamId, ...input }, user) => {
    const recipe = await updateRecipe(db, { teamId, userId: user.id }, id, input);
    const team = await requireMembership(db, teamId, user.id);
    refresh(team, recipe.published);
    redirect(`/t/${team.slug}`);
  },
);

export const deleteRecipeAction = validatedActionWithUser(
  recipeId.extend(teamRef.shape),
  async ({ id, teamId }, user) => {
    const recipe = await deleteRecipe(db, { teamId, userId: user.id }, id);
    refresh(await requireMembership(db, teamId, user.id), recipe.published);
    return { ok: true, message: `Deleted “${recipe.title}”.` };
  },
);

export const setPublishedAction = validatedActionWithUser(
  recipePublish.extend(teamRef.shape),
  async ({ id, teamId, published }, user) => {
    const recipe = await setRecipePublished(db, { teamId, userId: user.id }, id, published);
    if (published) await trackProductEvent(user.id, "recipe published", { recipeId: recipe.id });
    refresh(await requireMembership(db, teamId, user.id), true);
    return { ok: true, message: published ? `Published “${recipe.title}”.` : `Unpublished “${recipe.title}”.` };
  },
);

export const removePhotoAction = validatedActionWithUser(
  recipeId.extend(teamRef.shape),
  async ({ id, teamId }, user) => {
    if (!(await removeRecipePhoto(db, user.id, id))) return { error: "That recipe has no photo to remove." };
    refresh(await requireMembership(db, teamId, user.id), true);
    return { ok: true, message: "Photo removed." };
  },
);

/** "Plan my week": reserves the plan against the team's quota and starts the job; the page shows it when stored. */
export const planWeekAction = validatedActionWithUser(teamRef, async ({ teamId }, user) => {
  await requestWeekPlan(db, { teamId, userId: user.id });
  // The re-rendered panel says the plan is on its way (and replaces itself with the plan when it is stored).
  revalidatePath(`/t/${(await requireMembership(db, teamId, user.id)).slug}`);
  return { ok: true };
});
