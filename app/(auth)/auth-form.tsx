"use client";

import Link from "next/link";
import { useActionState } from "react";
import { DevOutboxNote, Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions-state";
import { sendMagicLinkAction, signInAction, signUpAction } from "./actions";

export function SignInForm({ next }: { next?: string }) {
  const [state, action] = useActionState(signInAction, initialActionState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="next" value={next ?? ""} />
      <Field label="Email" name="email" type="email" autoComplete="email" state={state} required />
      <Field label="Password" name="password" type="password" autoComplete="current-password" state={state} required />
      <p className="text-sm">
        <Link href="/forgot-password" className="text-emerald-800 underline">
          Forgot your password?
        </Link>
      </p>
      <SubmitButton pendingLabel="Signing in…">Sign in</SubmitButton>
      <p className="text-sm text-stone-600">
        No account yet?{" "}
        <Link href="/sign-up" className="text-emerald-800 underline">
          Sign up
        </Link>
      </p>
    </form>
  );
}

/** `devOutbox`: emails are kept at /dev/emails rather than sent (no RESEND_API_KEY). */
export function SignUpForm({ next, devOutbox }: { next?: string; devOutbox?: boolean }) {
  const [state, action] = useActionState(signUpAction, initialActionState);
  if (state.ok) {
    // The same page whether the address is new or already has an account: only the email differs.
    return (
      <div role="status" className="space-y-3 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3">
        <h2 className="text-lg font-medium text-emerald-900">Check your email</h2>
        <p className="text-sm text-emerald-900">{state.message}</p>
        {devOutbox && <DevOutboxNote className="text-emerald-900" />}
      </div>
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
      <SubmitButton pendingLabel="Creating your account…">Create account</SubmitButton>
      <p className="text-sm text-stone-600">
        Already have an account?{" "}
        <Link href="/sign-in" className="text-emerald-800 underline">
          Sign in
        </Link>
      </p>
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
      <SubmitButton variant="secondary" pendingLabel="Sending…">
        Email me a link
      </SubmitButton>
    </form>
  );
}
