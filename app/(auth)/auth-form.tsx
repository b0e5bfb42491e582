"use client";

import Link from "next/link";
import { useActionState } from "react";
import { DevOutboxNote, Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { Alert, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { initialActionState } from "@/lib/actions/state";
import { sendMagicLinkAction, signInAction, signUpAction } from "./actions";
import { ProofOfWork } from "./proof-of-work";

export function SignInForm({ next }: { next?: string }) {
  const [state, action] = useActionState(signInAction, initialActionState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="next" value={next ?? ""} />
      <Field label="Email" name="email" type="email" autoComplete="email" state={state} required />
      <Field label="Password" name="password" type="password" autoComplete="current-password" state={state} required />
      <ProofOfWork state={state} />
      <SubmitButton pendingLabel="Signing in…" className="w-full">
        Sign in
      </SubmitButton>
      <div className="flex flex-wrap items-center justify-between gap-x-4">
        <Button asChild variant="link" className="px-0">
          <Link href="/forgot-password">Forgot your password?</Link>
        </Button>
        <Button asChild variant="link" className="px-0">
          <Link href="/sign-up">No account yet? Sign up</Link>
        </Button>
      </div>
    </form>
  );
}

/** `devOutbox`: emails are kept at /dev/emails rather than sent (no RESEND_API_KEY). */
export function SignUpForm({ next, devOutbox }: { next?: string; devOutbox?: boolean }) {
  const [state, action] = useActionState(signUpAction, initialActionState);
  if (state.ok) {
    // The same page whether the address is new or already has an account: only the email differs.
    return (
      <Alert role="status" variant="success" className="px-4 py-3">
        <AlertTitle className="text-lg">Check your email</AlertTitle>
        <p>{state.message}</p>
        {devOutbox && <DevOutboxNote />}
      </Alert>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="next" value={next ?? ""} />
      <Field label="Name" name="name" autoComplete="name" state={state} required />
      <Field label="Email" name="email" type="email" autoComplete="email" state={state} required />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 8 characters."
        state={state}
        required
      />
      <ProofOfWork state={state} />
      <SubmitButton pendingLabel="Creating your account…" className="w-full">
        Create account
      </SubmitButton>
      <Button asChild variant="link" className="px-0">
        <Link href="/sign-in">Already have an account? Sign in</Link>
      </Button>
    </form>
  );
}

/** `devOutbox`: as for SignUpForm, the sent link is in /dev/emails, linked from the answer. */
export function MagicLinkForm({ next, devOutbox }: { next?: string; devOutbox?: boolean }) {
  const [state, action] = useActionState(sendMagicLinkAction, initialActionState);
  return (
    <form action={action} className="space-y-4" noValidate aria-labelledby="magic-link-heading">
      <h2 id="magic-link-heading" className="text-lg font-medium">
        Or get a sign-in link by email
      </h2>
      <FormMessage state={state} />
      {state.ok && devOutbox && <DevOutboxNote />}
      <input type="hidden" name="next" value={next ?? ""} />
      <Field
        label="Email for the link"
        name="email"
        id="magic-email"
        type="email"
        autoComplete="email"
        state={state}
        required
      />
      <ProofOfWork state={state} />
      <SubmitButton variant="secondary" pendingLabel="Sending…" className="w-full">
        Email me a link
      </SubmitButton>
    </form>
  );
}
