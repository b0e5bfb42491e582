import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { AuthCard } from "../auth-card";
import { ResetPasswordForm } from "../password-forms";

// The token is in this page's URL: no referrer carries it to another site.
export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

/** Better Auth's emailed link lands here with ?token=… when the token is valid, ?error=INVALID_TOKEN when not. */
export default async function ResetPasswordPage({ searchParams }: PageProps<"/reset-password">) {
  const { token, error, purpose } = await searchParams;
  const usable = typeof token === "string" && token.length > 0 && !error;
  // The same flow finishes a sign-up over an account that was never confirmed (the finish-sign-up email).
  const finishing = purpose === "finish-sign-up";
  return (
    <AuthCard title={finishing ? "Choose your password" : "Choose a new password"}>
      {usable ? (
        <ResetPasswordForm token={token} />
      ) : (
        <Alert role="alert" variant="destructive" className="space-y-3 px-4 py-3">
          <p>This reset link has expired or was already used. Links work once and for an hour.</p>
          <Button asChild variant="secondary">
            <Link href="/forgot-password">Get a new reset link</Link>
          </Button>
        </Alert>
      )}
    </AuthCard>
  );
}
