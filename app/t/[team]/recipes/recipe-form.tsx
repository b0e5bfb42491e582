"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { Button } from "@/components/ui/button";
import { initialActionState } from "@/lib/actions/state";
import { createRecipeAction, updateRecipeAction } from "../actions";
import { TeamField, useTeam } from "../team-context";

type Recipe = { id: string; title: string; description: string; ingredients: string[]; steps: string[] };

/** The form's fields as the inputs hold them (lists one entry per line). */
export type RecipeFields = { title: string; description: string; ingredients: string; steps: string };
export const emptyRecipeFields: RecipeFields = { title: "", description: "", ingredients: "", steps: "" };

/** A form whose values live in the parent (the AI draft fills them in); typing reports each change. */
export type ControlledRecipeFields = {
  values: RecipeFields;
  onChange: (name: keyof RecipeFields, value: string) => void;
};

/** The list fields: a textarea each, one entry per line. */
const listFields = [
  { name: "ingredients", label: "Ingredients", hint: "One per line." },
  { name: "steps", label: "Steps", hint: "One step per line." },
] as const;

/**
 * One form for both create and edit: the id decides which Server Action it calls. Its last answer (field
 * errors, the banner) belongs to the values it was given; a parent that replaces them all (an AI draft) gives
 * the form a new `key`, which starts it afresh.
 */
export function RecipeForm({ recipe, controlled }: { recipe?: Recipe; controlled?: ControlledRecipeFields }) {
  const [state, action] = useActionState(recipe ? updateRecipeAction : createRecipeAction, initialActionState);
  const team = useTeam();
  const bind = (name: keyof RecipeFields) =>
    controlled
      ? { value: controlled.values[name], onValueChange: (value: string) => controlled.onChange(name, value) }
      : {};
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      {state.upgrade && (
        <Button asChild variant="link" className="px-0">
          <Link href={team.role === "owner" ? `/t/${team.slug}/billing` : "/pricing"}>
            See plans and upgrade to Pro
          </Link>
        </Button>
      )}
      <TeamField />
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
      {listFields.map(({ name, label, hint }) => (
        <Field
          key={name}
          label={label}
          name={name}
          state={state}
          defaultValue={recipe?.[name].join("\n")}
          hint={hint}
          multiline
          rows={6}
          {...bind(name)}
        />
      ))}
      <SubmitButton pendingLabel="Saving…">{recipe ? "Save changes" : "Create recipe"}</SubmitButton>
    </form>
  );
}
