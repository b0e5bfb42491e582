"use client";

import { Sparkles, Square } from "lucide-react";
import Link from "next/link";
import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { emptyRecipeFields, RecipeForm, type RecipeFields } from "../recipe-form";
import { DraftFailure, describeDraftFailure, fieldsFromDraft } from "./draft-request";
import { useTeam } from "../../team-context";
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
  const team = useTeam();
  // Which draft last filled the fields: the recipe form restarts (its key) when a new one does, so the errors
  // and the banner of a submit before the draft do not stay over values they are not about.
  const draftRun = useRef(0);
  const [filledBy, setFilledBy] = useState(0);
  const draft = useRecipeDraft({
    teamId: team.id,
    initialDraftsLeft,
    onDraft: (partial) => {
      setFilledBy(draftRun.current);
      setFields(fieldsFromDraft(partial));
    },
  });
  const failure = draft.phase === "failed" && draft.error ? draft.error : undefined;
  const ideaError = failure instanceof DraftFailure ? failure.ideaError : undefined;

  return (
    <div className="space-y-6">
      <Card asChild className="space-y-2 border-emerald-200 bg-emerald-50/50">
        <form
          aria-label="Draft with AI"
          onSubmit={(event) => {
            event.preventDefault();
            draftRun.current += 1;
            draft.start(idea);
          }}
        >
          <Label htmlFor="idea">Your idea</Label>
          <div className="flex flex-col gap-2 sm:flex-row">
            <Input
              id="idea"
              name="idea"
              value={idea}
              onChange={(event) => setIdea(event.target.value)}
              placeholder="a quick weeknight dal"
              maxLength={500}
              aria-invalid={ideaError ? true : undefined}
              aria-describedby={ideaError ? "idea-hint idea-error" : "idea-hint"}
            />
            {/* Distinct keys: a reused <button> would turn into the submit button while Stop's click is
                still being handled, and the browser would submit the form (starting a new draft). */}
            {draft.phase === "drafting" ? (
              <Button key="stop" type="button" variant="secondary" onClick={draft.stop}>
                <Square aria-hidden="true" />
                Stop
              </Button>
            ) : (
              <Button key="draft" type="submit">
                <Sparkles aria-hidden="true" />
                Draft with AI
              </Button>
            )}
          </div>
          {ideaError && (
            <p id="idea-error" className="text-sm text-destructive">
              {ideaError}
            </p>
          )}
          <p id="idea-hint" className="text-xs text-stone-700">
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
            <Alert role="alert" variant="destructive">
              {describeDraftFailure(failure)}
              {failure instanceof DraftFailure && failure.status === 401 && (
                <>
                  {" "}
                  <Link
                    href={`/sign-in?next=${encodeURIComponent(`/t/${team.slug}/recipes/new`)}`}
                    className="font-medium underline"
                  >
                    Sign in
                  </Link>
                </>
              )}
              {failure instanceof DraftFailure && failure.quotaExhausted && (
                <>
                  {" "}
                  <Link
                    href={team.role === "owner" ? `/t/${team.slug}/billing` : "/pricing"}
                    className="font-medium underline"
                  >
                    See plans
                  </Link>
                </>
              )}
            </Alert>
          )}
        </form>
      </Card>
      <RecipeForm
        key={filledBy}
        controlled={{
          values: fields,
          onChange: (name, value) => setFields((current) => ({ ...current, [name]: value })),
        }}
      />
    </div>
  );
}
