import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { Separator } from "@/components/ui/separator";
import { configuredOAuthProviders } from "@/lib/auth";
import { env } from "@/lib/core/env";
import { resendConfigured } from "@/lib/email/resend";
import { safeReturnPath } from "@/lib/http/return-path";
import { AuthCard } from "../auth-card";
import { MagicLinkForm, SignInForm } from "../auth-form";
import { OAuthButtons } from "../oauth-buttons";

export const metadata: Metadata = { title: "Sign in" };

/** What Better Auth's OAuth callback reports in ?error= when a provider sign-in did not finish. */
function oauthErrorMessage(code: string): string {
  if (code === "account_not_linked")
    return (
      "That email address already has an account here that is not confirmed yet. " +
      "Sign in with your password or an email link first; after that, this provider signs you in too."
    );
  return "Signing in with that provider did not work. Please try again, or sign in another way.";
}

// Emails wait in the dev outbox (/dev/emails) when Resend is not configured and the dev tools are on.
const devOutbox = !resendConfigured && env.devToolsEnabled;

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const { next, reset, error } = await searchParams;
  return (
    <AuthCard title="Sign in">
      {reset === "done" && (
        <Alert role="status" variant="success">
          Your password is changed and every device was signed out. Sign in with the new password.
        </Alert>
      )}
      {typeof error === "string" && (
        <Alert role="alert" variant="destructive">
          {oauthErrorMessage(error)}
        </Alert>
      )}
      <OAuthButtons providers={configuredOAuthProviders} next={safeReturnPath(next)} />
      {configuredOAuthProviders.length > 0 && <Separator />}
      <SignInForm next={safeReturnPath(next)} />
      <Separator />
      <MagicLinkForm next={safeReturnPath(next)} devOutbox={devOutbox} />
    </AuthCard>
  );
}
