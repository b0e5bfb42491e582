import type { Metadata } from "next";
import Link from "next/link";
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
    <section className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-semibold">{finishing ? "Choose your password" : "Choose a new password"}</h1>
      {usable ? (
        <ResetPasswordForm token={token} />
      ) : (
        <div
          role="alert"
          className="space-y-3 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800"
        >
          <p>This reset link has expired or was already used. Links work once and for an hour.</p>
          <p>
            <Link href="/forgot-password" className="font-medium underline">
              Get a new reset link
            </Link>
          </p>
        </div>
      )}
    </section>
  );
}
