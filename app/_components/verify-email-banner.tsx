"use client";

import { useActionState } from "react";
import { Alert, AlertTitle } from "@/components/ui/alert";
import { initialActionState } from "@/lib/actions/state";
import { resendVerificationEmailAction } from "@/app/(auth)/actions";
import { FormMessage, SubmitButton } from "./form";

/**
 * Shown to a signed-in cook whose address is not confirmed yet: drafting works, publishing and upgrading wait for
 * the link. Pages render it when `user.emailVerified` is false.
 */
export function VerifyEmailBanner({ email }: { email: string }) {
  const [state, action] = useActionState(resendVerificationEmailAction, initialActionState);
  return (
    <Alert asChild variant="warning" className="px-4 py-3">
      <section aria-labelledby="verify-email-heading">
        <AlertTitle id="verify-email-heading">Confirm your email address</AlertTitle>
        <p>
          We sent a link to <span className="break-all">{email}</span>. Until you open it you can write recipes, but not
          publish them or upgrade to Pro.
        </p>
        <form action={action} className="space-y-2">
          <FormMessage state={state} />
          <SubmitButton variant="secondary" pendingLabel="Sending…">
            Resend the email
          </SubmitButton>
        </form>
      </section>
    </Alert>
  );
}
