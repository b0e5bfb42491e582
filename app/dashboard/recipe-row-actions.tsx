"use client";

import Link from "next/link";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions-state";
import { deleteRecipeAction, setPublishedAction } from "./actions";

export function RecipeRowActions({ id, title, published }: { id: string; title: string; published: boolean }) {
  const [publishState, publish] = useActionState(setPublishedAction, initialActionState);
  const [deleteState, remove] = useActionState(deleteRecipeAction, initialActionState);
  // A deleted row unmounts, so only a failed delete has anything to say here.
  const feedback = deleteState.error ? deleteState : publishState;

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex items-center gap-2">
        <Link
          href={`/dashboard/recipes/${id}/edit`}
          className="rounded-md border border-stone-300 px-3 py-2 text-sm hover:bg-stone-50"
          aria-label={`Edit ${title}`}
        >
          Edit
        </Link>
        <form action={publish}>
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="published" value={String(!published)} />
          <SubmitButton variant="secondary" pendingLabel="Saving…">
            {published ? "Unpublish" : "Publish"}
          </SubmitButton>
        </form>
        <form
          action={remove}
          onSubmit={(event) => {
            if (!window.confirm(`Delete “${title}”? This cannot be undone.`)) event.preventDefault();
          }}
        >
          <input type="hidden" name="id" value={id} />
          <SubmitButton variant="danger" pendingLabel="Deleting…">
            Delete
          </SubmitButton>
        </form>
      </div>
      <FormMessage state={feedback} />
    </div>
  );
}
