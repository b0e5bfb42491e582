"use client";

import { useActionState } from "react";
import { ConfirmSubmitButton } from "@/app/_components/confirm-submit";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions/state";
import type { TeamRole } from "@/lib/teams/permissions";
import { TeamField } from "../team-context";
import { changeRoleAction, inviteAction, removeMemberAction, revokeInvitationAction } from "./actions";

export function InviteForm({ canInviteOwners }: { canInviteOwners: boolean }) {
  const [state, action] = useActionState(inviteAction, initialActionState);
  return (
    <form action={action} className="space-y-3 rounded-lg border border-stone-200 bg-white p-4" noValidate>
      <h2 className="text-lg font-semibold">Invite someone</h2>
      <TeamField />
      <FormMessage state={state} />
      <Field label="Email address" name="email" type="email" state={state} autoComplete="off" required />
      <div>
        <label htmlFor="invite-role" className="block text-sm font-medium text-stone-800">
          Role
        </label>
        <select
          id="invite-role"
          name="role"
          defaultValue="member"
          className="mt-1 block min-h-11 w-full rounded-md border border-stone-300 bg-white px-3"
        >
          <option value="member">Member: writes and edits their own recipes</option>
          <option value="admin">Admin: also manages members and every recipe</option>
          {canInviteOwners && <option value="owner">Owner: also billing and the team itself</option>}
        </select>
      </div>
      <SubmitButton pendingLabel="Sending…">Send invitation</SubmitButton>
    </form>
  );
}

export function MemberActions({
  memberId,
  name,
  role,
  canManageOwners,
}: {
  memberId: string;
  name: string;
  role: TeamRole;
  canManageOwners: boolean;
}) {
  const [roleState, changeRole] = useActionState(changeRoleAction, initialActionState);
  const [removeState, remove] = useActionState(removeMemberAction, initialActionState);
  const roles: TeamRole[] = canManageOwners ? ["member", "admin", "owner"] : ["member", "admin"];
  if (role === "owner" && !canManageOwners) return null;
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <form action={changeRole} className="flex items-center gap-2">
          <TeamField />
          <input type="hidden" name="memberId" value={memberId} />
          <label className="sr-only" htmlFor={`role-${memberId}`}>
            Role of {name}
          </label>
          <select
            id={`role-${memberId}`}
            name="role"
            defaultValue={role}
            className="min-h-11 rounded-md border border-stone-300 bg-white px-2 text-sm"
          >
            {roles.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
          <SubmitButton variant="secondary" pendingLabel="Saving…">
            Change role
          </SubmitButton>
        </form>
        <form action={remove}>
          <TeamField />
          <input type="hidden" name="memberId" value={memberId} />
          <ConfirmSubmitButton
            question={`Remove ${name} from the team?`}
            detail="They lose access to its recipes at once; their next action in the team is refused."
            confirmLabel="Remove"
            pendingLabel="Removing…"
          >
            Remove <span className="sr-only">{name}</span>
          </ConfirmSubmitButton>
        </form>
      </div>
      <FormMessage state={removeState.error ? removeState : roleState} />
    </div>
  );
}

export function RevokeInvitationButton({ invitationId, email }: { invitationId: string; email: string }) {
  const [state, action] = useActionState(revokeInvitationAction, initialActionState);
  return (
    <form action={action} className="flex flex-col items-end gap-2">
      <TeamField />
      <input type="hidden" name="invitationId" value={invitationId} />
      <SubmitButton variant="secondary" pendingLabel="Withdrawing…">
        <span className="sr-only">Withdraw the invitation to {email}</span>
        <span aria-hidden="true">Withdraw</span>
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
