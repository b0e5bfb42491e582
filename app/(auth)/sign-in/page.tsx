import type { Metadata } from "next";
import { configuredOAuthProviders } from "@/lib/auth";
import { env } from "@/lib/env";
import { resendConfigured } from "@/lib/resend";
import { safeReturnPath } from "@/lib/return-path";
import { MagicLinkForm, SignInForm } from "../auth-form";
import { OAuthButtons } from "../oauth-buttons";

export const metadata: Metadata = { title: "Sign in" };

/** What Better Auth's OAuth callback reports in ?error= when a provider sign-in did not finish. */
function oauthErrorMessage(code: string): string {
  if (code === "account_not_linked")
    return "That email address already has an account here that is not confirmed yet. Sign in with your password or an email link first; after that, this provider signs you in too.";
  return "Signing in with that provider did not work. Please try again, or sign in another way.";
}

// Emails wait in the dev outbox (/dev/emails) when Resend is not configured and the dev tools are on.
const devOutbox = !resendConfigured && env.devToolsEnabled;

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const { next, reset, error } = await searchParams;
  return (
    <section className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-semibold">Sign in</h1>
      {reset === "done" && (
        <p
          role="status"
          className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
        >
          Your password is changed and every device was signed out. Sign in with the new password.
        </p>
      )}
      {typeof error === "string" && (
        <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {oauthErrorMessage(error)}
        </p>
      )}
      <OAuthButtons providers={configuredOAuthProviders} next={safeReturnPath(next)} />
      {configuredOAuthProviders.length > 0 && <hr className="my-6 border-stone-200" />}
      <SignInForm next={safeReturnPath(next)} />
      <hr className="my-8 border-stone-200" />
      <MagicLinkForm next={safeReturnPath(next)} devOutbox={devOutbox} />
    </section>
  );
}
