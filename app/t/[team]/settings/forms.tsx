"use client";

import { useActionState } from "react";
import { ConfirmSubmitButton } from "@/app/_components/confirm-submit";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions/state";
import { TeamField } from "../team-context";
import { deleteTeamAction, leaveTeamAction, renameTeamAction, transferOwnershipAction } from "./actions";

export function RenameTeamForm({ name }: { name: string }) {
  const [state, action] = useActionState(renameTeamAction, initialActionState);
  return (
    <form action={action} className="space-y-3" noValidate>
      <TeamField />
      <FormMessage state={state} />
      <Field label="Team name" name="name" state={state} defaultValue={name} required />
      <SubmitButton pendingLabel="Saving…">Save name</SubmitButton>
    </form>
  );
}

export function TransferOwnershipForm({ members }: { members: { id: string; name: string; email: string }[] }) {
  const [state, action] = useActionState(transferOwnershipAction, initialActionState);
  return (
    <form action={action} className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
      <h2 className="text-lg font-semibold">Hand the team on</h2>
      <p className="text-sm text-stone-600">The new owner takes over billing; you stay on as an admin.</p>
      <TeamField />
      <FormMessage state={state} />
      <label htmlFor="transfer-to" className="block text-sm font-medium text-stone-800">
        New owner
      </label>
      <select
        id="transfer-to"
        name="memberId"
        className="block min-h-11 w-full rounded-md border border-stone-300 bg-white px-3"
      >
        {members.map((entry) => (
          <option key={entry.id} value={entry.id}>
            {entry.name} ({entry.email})
          </option>
        ))}
      </select>
      <SubmitButton variant="secondary" pendingLabel="Handing on…">
        Make them the owner
      </SubmitButton>
    </form>
  );
}

export function LeaveTeamForm() {
  const [state, action] = useActionState(leaveTeamAction, initialActionState);
  return (
    <form action={action} className="space-y-3">
      <TeamField />
      <FormMessage state={state} />
      <ConfirmSubmitButton
        variant="secondary"
        question="Leave this team?"
        detail="You lose access to its recipes until someone invites you again."
        confirmLabel="Leave"
        pendingLabel="Leaving…"
      >
        Leave the team
      </ConfirmSubmitButton>
    </form>
  );
}

export function DeleteTeamForm({ name }: { name: string }) {
  const [state, action] = useActionState(deleteTeamAction, initialActionState);
  return (
    <form action={action} className="space-y-3 rounded-lg border border-red-200 bg-white p-4">
      <h2 className="text-lg font-semibold text-red-800">Delete the team</h2>
      <p className="text-sm text-stone-600">
        Its recipes, photos and invitations go too. A team on Pro is deleted once its subscription ends.
      </p>
      <TeamField />
      <FormMessage state={state} />
      <ConfirmSubmitButton
        variant="destructive"
        question={`Delete ${name}?`}
        detail="Its recipes, photos and invitations are deleted with it. This cannot be undone."
        confirmLabel="Delete the team"
        pendingLabel="Deleting…"
      >
        Delete {name}
      </ConfirmSubmitButton>
    </form>
  );
}
