"use client";

import { useActionState } from "react";
import { ConfirmSubmitButton } from "@/app/_components/confirm-submit";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions/state";
import {
  changeEmailAction,
  changePasswordAction,
  deleteAccountAction,
  revokeOtherSessionsAction,
  revokeSessionAction,
  updateNameAction,
} from "./actions";

export function NameForm({ name }: { name: string }) {
  const [state, action] = useActionState(updateNameAction, initialActionState);
  return (
    <form action={action} className="space-y-3" noValidate>
      <FormMessage state={state} />
      <Field label="Name" name="name" defaultValue={name} autoComplete="name" state={state} required />
      <SubmitButton pendingLabel="Saving…">Save name</SubmitButton>
    </form>
  );
}

export function EmailForm({ email }: { email: string }) {
  const [state, action] = useActionState(changeEmailAction, initialActionState);
  return (
    <form action={action} className="space-y-3" noValidate>
      <FormMessage state={state} />
      <Field
        label="Email"
        name="email"
        type="email"
        defaultValue={email}
        autoComplete="email"
        hint="A new address is used once you approve it from this one and confirm it from the new one."
        state={state}
        required
      />
      <SubmitButton variant="secondary" pendingLabel="Sending…">
        Change email
      </SubmitButton>
    </form>
  );
}

export function PasswordForm() {
  const [state, action] = useActionState(changePasswordAction, initialActionState);
  return (
    <form action={action} className="space-y-3" noValidate>
      <FormMessage state={state} />
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        state={state}
        required
      />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint="At least 8 characters. Your other sessions are signed out."
        state={state}
        required
      />
      <SubmitButton pendingLabel="Changing…">Change password</SubmitButton>
    </form>
  );
}

export function RevokeSessionButton({ sessionId, device }: { sessionId: string; device: string }) {
  const [state, action] = useActionState(revokeSessionAction, initialActionState);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="sessionId" value={sessionId} />
      <SubmitButton variant="secondary" pendingLabel="Signing out…">
        <span aria-label={`Sign out ${device}`}>Sign out</span>
      </SubmitButton>
      {state.error && <FormMessage state={state} />}
    </form>
  );
}

export function RevokeOtherSessionsForm() {
  const [state, action] = useActionState(revokeOtherSessionsAction, initialActionState);
  return (
    <form action={action} className="space-y-2">
      <FormMessage state={state} />
      <SubmitButton variant="secondary" pendingLabel="Signing out…">
        Sign out all other sessions
      </SubmitButton>
    </form>
  );
}

/** `needsPassword`: the session is not fresh, so the password confirms it is the owner. */
export function DeleteAccountForm({ needsPassword, hasPassword }: { needsPassword: boolean; hasPassword: boolean }) {
  const [state, action] = useActionState(deleteAccountAction, initialActionState);
  return (
    <form action={action} className="space-y-3" noValidate>
      <FormMessage state={state} />
      {hasPassword && (
        <Field
          label="Password to confirm"
          name="password"
          type="password"
          autoComplete="current-password"
          hint={needsPassword ? undefined : "Optional: you signed in a moment ago."}
          state={state}
          required={needsPassword}
        />
      )}
      {!hasPassword && state.fieldErrors?.password && (
        <p className="text-sm text-destructive">Sign in again with your email link, then delete within 10 minutes.</p>
      )}
      <ConfirmSubmitButton
        question="Delete your account and everything in it?"
        detail="Your recipes, photos and sessions go for good. This cannot be undone."
        confirmLabel="Delete my account"
        pendingLabel="Deleting…"
      >
        Delete my account
      </ConfirmSubmitButton>
    </form>
  );
}
