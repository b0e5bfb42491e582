"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions/state";
import { acceptInvitationAction, declineInvitationAction } from "./actions";

export function InvitationAnswer({ invitationId, confirmed }: { invitationId: string; confirmed: boolean }) {
  const [acceptState, accept] = useActionState(acceptInvitationAction, initialActionState);
  const [declineState, decline] = useActionState(declineInvitationAction, initialActionState);
  if (declineState.ok) return <FormMessage state={declineState} />;
  return (
    <div className="space-y-3">
      {!confirmed && (
        <p className="text-sm text-stone-700">
          Confirm your email address first (open the link we emailed you): an invitation is accepted only by the address
          it was sent to, once confirmed.
        </p>
      )}
      <FormMessage state={acceptState.error ? acceptState : declineState} />
      <div className="flex flex-wrap gap-2">
        <form action={accept}>
          <input type="hidden" name="invitationId" value={invitationId} />
          <SubmitButton pendingLabel="Joining…">Accept and join</SubmitButton>
        </form>
        <form action={decline}>
          <input type="hidden" name="invitationId" value={invitationId} />
          <SubmitButton variant="secondary" pendingLabel="Declining…">
            Decline
          </SubmitButton>
        </form>
      </div>
    </div>
  );
}
