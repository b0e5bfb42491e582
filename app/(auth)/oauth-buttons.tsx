"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { initialActionState } from "@/lib/actions/state";
import type { OAuthProvider } from "@/lib/auth/schema";
import { signInWithProviderAction } from "./actions";

const labels: Record<OAuthProvider, string> = { github: "GitHub", google: "Google" };

/** One button per configured provider (the page passes only those whose variables are set); none, nothing. */
export function OAuthButtons({ providers, next }: { providers: OAuthProvider[]; next?: string }) {
  const [state, action] = useActionState(signInWithProviderAction, initialActionState);
  if (providers.length === 0) return null;
  return (
    <div className="space-y-2" aria-label="Sign in with another account" role="group">
      <FormMessage state={state} />
      {providers.map((provider) => (
        <form key={provider} action={action}>
          <input type="hidden" name="provider" value={provider} />
          <input type="hidden" name="next" value={next ?? ""} />
          <SubmitButton variant="secondary" pendingLabel={`Opening ${labels[provider]}…`} className="w-full">
            Continue with {labels[provider]}
          </SubmitButton>
        </form>
      ))}
    </div>
  );
}
