"use client";

import Link from "next/link";
import { useState } from "react";
import { emptyRecipeFields, RecipeForm, type RecipeFields } from "../recipe-form";
import { DraftFailure, describeDraftFailure, fieldsFromDraft } from "./draft-request";
import { useRecipeDraft } from "./use-recipe-draft";

type Props = {
  /** Today's drafts left and the plan's daily quota (lib/ai/quota.ts), as the page was rendered. */
  draftsLeft: number;
  dailyQuota: number;
  /** No provider key: drafts come from the offline sample model. */
  offline: boolean;
};

/**
 * The new-recipe page's form with "Draft with AI": the idea goes to our own
 * Route Handler, and the recipe fields fill in as the model writes. They stay
 * editable, and "Create recipe" saves them with the same Server Action as a
 * recipe typed by hand.
 */
export function NewRecipeForm({ draftsLeft: initialDraftsLeft, dailyQuota, offline }: Props) {
  const [fields, setFields] = useState<RecipeFields>(emptyRecipeFields);
  const [idea, setIdea] = useState("");
  const draft = useRecipeDraft({
    initialDraftsLeft,
    onDraft: (partial) => setFields(fieldsFromDraft(partial)),
  });
  const failure = draft.phase === "failed" && draft.error ? draft.error : undefined;
  const ideaError = failure instanceof DraftFailure ? failure.ideaError : undefined;

  return (
    <div className="space-y-6">
      <form
        aria-label="Draft with AI"
        className="space-y-2 rounded-lg border border-emerald-200 bg-emerald-50/50 p-4"
        onSubmit={(event) => {
          event.preventDefault();
          draft.start(idea);
        }}
      >
        <label htmlFor="idea" className="block text-sm font-medium text-stone-800">
          Your idea
        </label>
        <div className="flex gap-2">
          <input
            id="idea"
            name="idea"
            value={idea}
            onChange={(event) => setIdea(event.target.value)}
            placeholder="a quick weeknight dal"
            maxLength={500}
            aria-invalid={ideaError ? true : undefined}
            aria-describedby={ideaError ? "idea-hint idea-error" : "idea-hint"}
            className="block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-stone-900 shadow-sm focus:border-emerald-600 focus:outline-none focus:ring-2 focus:ring-emerald-600/30 aria-[invalid=true]:border-red-600"
          />
          {/* Distinct keys: a reused <button> would turn into the submit button while Stop's click is
              still being handled, and the browser would submit the form (starting a new draft). */}
          {draft.phase === "drafting" ? (
            <button
              key="stop"
              type="button"
              onClick={draft.stop}
              className="shrink-0 rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium text-stone-800 shadow-sm hover:bg-stone-50"
            >
              Stop
            </button>
          ) : (
            <button
              key="draft"
              type="submit"
              className="shrink-0 rounded-md bg-emerald-700 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-emerald-800"
            >
              Draft with AI
            </button>
          )}
        </div>
        {ideaError && (
          <p id="idea-error" className="text-sm text-red-700">
            {ideaError}
          </p>
        )}
        <p id="idea-hint" className="text-xs text-stone-600">
          The draft replaces the fields below; edit anything before you save. {draft.draftsLeft} of {dailyQuota} AI
          drafts left today.
          {offline && " No AI key is set, so drafts come from the offline sample model."}
        </p>
        <p role="status" className="text-sm text-emerald-800">
          {draft.phase === "drafting" && "Drafting…"}
          {draft.phase === "done" && "Draft ready: check it, edit anything, then create the recipe."}
          {draft.phase === "stopped" && "Stopped. The fields keep what was written so far."}
        </p>
        {failure && !ideaError && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {describeDraftFailure(failure)}
            {failure instanceof DraftFailure && failure.status === 401 && (
              <>
                {" "}
                <Link href="/sign-in?next=%2Fdashboard%2Frecipes%2Fnew" className="font-medium underline">
                  Sign in
                </Link>
              </>
            )}
            {failure instanceof DraftFailure && failure.quotaExhausted && (
              <>
                {" "}
                <Link href="/pricing" className="font-medium underline">
                  See plans
                </Link>
              </>
            )}
          </p>
        )}
      </form>
      <RecipeForm
        controlled={{
          values: fields,
          onChange: (name, value) => setFields((current) => ({ ...current, [name]: value })),
        }}
      />
    </div>
  );
}
