"use client";

import Link from "next/link";
import { useActionState } from "react";
import { DevOutboxNote, Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions-state";
import { requestPasswordResetAction, resetPasswordAction } from "./actions";

/** `devOutbox`: emails are kept at /dev/emails rather than sent (no RESEND_API_KEY). */
export function ForgotPasswordForm({ devOutbox }: { devOutbox?: boolean }) {
  const [state, action] = useActionState(requestPasswordResetAction, initialActionState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      {state.ok && devOutbox && <DevOutboxNote />}
      <Field label="Email" name="email" type="email" autoComplete="email" state={state} required />
      <SubmitButton pendingLabel="Sending…">Email me a reset link</SubmitButton>
      <p className="text-sm text-stone-600">
        Remembered it?{" "}
        <Link href="/sign-in" className="text-emerald-800 underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action] = useActionState(resetPasswordAction, initialActionState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="token" value={token} />
      <Field
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 8 characters. Every device signed in to your account is signed out."
        state={state}
        required
      />
      <SubmitButton pendingLabel="Saving…">Set new password</SubmitButton>
      {state.error && (
        <p className="text-sm text-stone-600">
          <Link href="/forgot-password" className="text-emerald-800 underline">
            Get a new reset link
          </Link>
        </p>
      )}
    </form>
  );
}
