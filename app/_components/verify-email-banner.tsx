"use client";

import { useActionState } from "react";
import { resendVerificationEmailAction } from "@/app/(auth)/actions";
import { initialActionState } from "@/lib/actions-state";
import { FormMessage, SubmitButton } from "./form";

/**
 * Shown to a signed-in cook whose address is not confirmed yet: drafting works, publishing and upgrading wait for
 * the link. Pages render it when `user.emailVerified` is false.
 */
export function VerifyEmailBanner({ email }: { email: string }) {
  const [state, action] = useActionState(resendVerificationEmailAction, initialActionState);
  return (
    <section
      aria-labelledby="verify-email-heading"
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
    >
      <h2 id="verify-email-heading" className="font-medium">
        Confirm your email address
      </h2>
      <p>We sent a link to {email}. Until you open it you can write recipes, but not publish them or upgrade to Pro.</p>
      <form action={action} className="space-y-2">
        <FormMessage state={state} />
        <SubmitButton variant="secondary" pendingLabel="Sending…">
          Resend the email
        </SubmitButton>
      </form>
    </section>
  );
}
