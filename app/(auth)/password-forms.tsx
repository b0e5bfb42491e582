"use client";

import Link from "next/link";
import { useActionState } from "react";
import { DevOutboxNote, Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { Button } from "@/components/ui/button";
import { initialActionState } from "@/lib/actions/state";
import { requestPasswordResetAction, resetPasswordAction } from "./actions";
import { ProofOfWork } from "./proof-of-work";

/** `devOutbox`: emails are kept at /dev/emails rather than sent (no RESEND_API_KEY). */
export function ForgotPasswordForm({ devOutbox }: { devOutbox?: boolean }) {
  const [state, action] = useActionState(requestPasswordResetAction, initialActionState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      {state.ok && devOutbox && <DevOutboxNote />}
      <Field label="Email" name="email" type="email" autoComplete="email" state={state} required />
      <ProofOfWork state={state} />
      <SubmitButton pendingLabel="Sending…" className="w-full">
        Email me a reset link
      </SubmitButton>
      <Button asChild variant="link" className="px-0">
        <Link href="/sign-in">Remembered it? Sign in</Link>
      </Button>
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
      <SubmitButton pendingLabel="Saving…" className="w-full">
        Set new password
      </SubmitButton>
      {state.error && (
        <Button asChild variant="link" className="px-0">
          <Link href="/forgot-password">Get a new reset link</Link>
        </Button>
      )}
    </form>
  );
}
