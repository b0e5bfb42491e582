"use client";

import Link from "next/link";
import { useActionState } from "react";
import { ConfirmSubmitButton } from "@/app/_components/confirm-submit";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { Button } from "@/components/ui/button";
import { initialActionState } from "@/lib/actions/state";
import { deleteRecipeAction, setPublishedAction } from "./actions";
import { TeamField, useTeam } from "./team-context";

export function RecipeRowActions({ id, title, published }: { id: string; title: string; published: boolean }) {
  const [publishState, publish] = useActionState(setPublishedAction, initialActionState);
  const [deleteState, remove] = useActionState(deleteRecipeAction, initialActionState);
  const team = useTeam();
  // A deleted row unmounts, so only a failed delete has anything to say here.
  const feedback = deleteState.error ? deleteState : publishState;

  return (
    <div className="flex flex-col gap-2 sm:items-end">
      <div className="flex flex-wrap items-center gap-2">
        <Button asChild variant="secondary">
          <Link href={`/t/${team.slug}/recipes/${id}/edit`} aria-label={`Edit ${title}`}>
            Edit
          </Link>
        </Button>
        <form action={publish}>
          <TeamField />
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="published" value={String(!published)} />
          <SubmitButton variant="secondary" pendingLabel="Saving…">
            {published ? "Unpublish" : "Publish"}
          </SubmitButton>
        </form>
        <form action={remove}>
          <TeamField />
          <input type="hidden" name="id" value={id} />
          <ConfirmSubmitButton
            question={`Delete “${title}”?`}
            detail="The recipe and its photo are deleted for good. This cannot be undone."
            confirmLabel="Delete"
            pendingLabel="Deleting…"
          >
            Delete
          </ConfirmSubmitButton>
        </form>
      </div>
      <FormMessage state={feedback} />
    </div>
  );
}
