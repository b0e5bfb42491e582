"use client";

import { useActionState } from "react";
import { ConfirmSubmitButton } from "@/app/_components/confirm-submit";
import { Field, FormMessage } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions/state";
import { banAction, impersonateAction, unbanAction } from "./actions";

/** Ban with a reason: asks first, since every session of the account ends at once. */
export function BanForm({ userId, email }: { userId: string; email: string }) {
  const [state, action] = useActionState(banAction, initialActionState);
  return (
    <form action={action} className="space-y-3" noValidate>
      <input type="hidden" name="userId" value={userId} />
      <FormMessage state={state} />
      <Field
        label="Reason"
        name="reason"
        state={state}
        multiline
        rows={2}
        hint="Kept with the ban and in the audit log; the user is not shown it."
        required
      />
      <ConfirmSubmitButton
        question={`Ban ${email}?`}
        detail={
          "Every session of this account ends now, open pages are signed out on their next request, " +
          "and signing in is refused until the ban is lifted."
        }
        confirmLabel="Ban"
        pendingLabel="Banning…"
      >
        Ban this user
      </ConfirmSubmitButton>
    </form>
  );
}

export function UnbanForm({ userId }: { userId: string }) {
  const [state, action] = useActionState(unbanAction, initialActionState);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="userId" value={userId} />
      <FormMessage state={state} />
      <ConfirmSubmitButton
        question="Lift the ban?"
        detail="The account can sign in again."
        confirmLabel="Lift the ban"
        pendingLabel="Lifting…"
        variant="secondary"
      >
        Lift the ban
      </ConfirmSubmitButton>
    </form>
  );
}

/** Impersonate: the operator's browser becomes this user's for at most an hour, with the banner on every page. */
export function ImpersonateForm({ userId, email }: { userId: string; email: string }) {
  const [state, action] = useActionState(impersonateAction, initialActionState);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="userId" value={userId} />
      <FormMessage state={state} />
      <ConfirmSubmitButton
        question={`Impersonate ${email}?`}
        detail={
          "You will see the app as this user for at most an hour. " +
          "It is recorded in the audit log with you as the actor, and /admin stays closed until you stop."
        }
        confirmLabel="Impersonate"
        pendingLabel="Starting…"
        variant="secondary"
      >
        Impersonate
      </ConfirmSubmitButton>
    </form>
  );
}
