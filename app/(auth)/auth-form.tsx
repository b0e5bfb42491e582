"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
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

export function SignUpForm({ next }: { next?: string }) {
  const [state, action] = useActionState(signUpAction, initialActionState);
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

export function MagicLinkForm({ next }: { next?: string }) {
  const [state, action] = useActionState(sendMagicLinkAction, initialActionState);
  return (
    <form action={action} className="space-y-4" noValidate aria-labelledby="magic-link-heading">
      <h2 id="magic-link-heading" className="text-lg font-medium">
        Or get a sign-in link by email
      </h2>
      <FormMessage state={state} />
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
