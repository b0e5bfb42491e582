"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions-state";
import { createRecipeAction, updateRecipeAction } from "../actions";

type Recipe = { id: string; title: string; description: string; ingredients: string[]; steps: string[] };

/** The form's fields as the inputs hold them (lists one entry per line). */
export type RecipeFields = { title: string; description: string; ingredients: string; steps: string };
export const emptyRecipeFields: RecipeFields = { title: "", description: "", ingredients: "", steps: "" };

/** A form whose values live in the parent (the AI draft fills them in); typing reports each change. */
export type ControlledRecipeFields = {
  values: RecipeFields;
  onChange: (name: keyof RecipeFields, value: string) => void;
};

/** One form for both create and edit: the id decides which Server Action it calls. */
export function RecipeForm({ recipe, controlled }: { recipe?: Recipe; controlled?: ControlledRecipeFields }) {
  const [state, action] = useActionState(recipe ? updateRecipeAction : createRecipeAction, initialActionState);
  const bind = (name: keyof RecipeFields) =>
    controlled
      ? { value: controlled.values[name], onValueChange: (value: string) => controlled.onChange(name, value) }
      : {};
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
      <Field label="Title" name="title" state={state} defaultValue={recipe?.title} required {...bind("title")} />
      <Field
        label="Description"
        name="description"
        state={state}
        defaultValue={recipe?.description}
        multiline
        rows={3}
        {...bind("description")}
      />
      <Field
        label="Ingredients"
        name="ingredients"
        state={state}
        defaultValue={recipe?.ingredients.join("\n")}
        hint="One per line."
        multiline
        rows={6}
        {...bind("ingredients")}
      />
      <Field
        label="Steps"
        name="steps"
        state={state}
        defaultValue={recipe?.steps.join("\n")}
        hint="One step per line."
        multiline
        rows={6}
        {...bind("steps")}
      />
      <SubmitButton pendingLabel="Saving…">{recipe ? "Save changes" : "Create recipe"}</SubmitButton>
    </form>
  );
}
