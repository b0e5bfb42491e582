"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions-state";
import { createRecipeAction, updateRecipeAction } from "../actions";

type Recipe = { id: string; title: string; description: string; ingredients: string[]; steps: string[] };

/** One form for both create and edit: the id decides which Server Action it calls. */
export function RecipeForm({ recipe }: { recipe?: Recipe }) {
  const [state, action] = useActionState(recipe ? updateRecipeAction : createRecipeAction, initialActionState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      {state.upgrade && (
        <p className="text-sm">
          <Link href="/pricing" className="font-medium text-emerald-800 underline">
            See plans and upgrade to Pro
          </Link>
        </p>
      )}
      {recipe && <input type="hidden" name="id" value={recipe.id} />}
      <Field label="Title" name="title" state={state} defaultValue={recipe?.title} required />
      <Field
        label="Description"
        name="description"
        state={state}
        defaultValue={recipe?.description}
        multiline
        rows={3}
      />
      <Field
        label="Ingredients"
        name="ingredients"
        state={state}
        defaultValue={recipe?.ingredients.join("\n")}
        hint="One per line."
        multiline
        rows={6}
      />
      <Field
        label="Steps"
        name="steps"
        state={state}
        defaultValue={recipe?.steps.join("\n")}
        hint="One step per line."
        multiline
        rows={6}
      />
      <SubmitButton pendingLabel="Saving…">{recipe ? "Save changes" : "Create recipe"}</SubmitButton>
    </form>
  );
}
