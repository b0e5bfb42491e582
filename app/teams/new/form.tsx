"use client";

import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions/state";
import { createTeamAction } from "./actions";

export function CreateTeamForm() {
  const [state, action] = useActionState(createTeamAction, initialActionState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <Field label="Team name" name="name" state={state} required />
      <SubmitButton pendingLabel="Creating…">Create team</SubmitButton>
    </form>
  );
}
