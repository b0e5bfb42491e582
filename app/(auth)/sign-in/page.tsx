import type { Metadata } from "next";
import { env } from "@/lib/env";
import { resendConfigured } from "@/lib/resend";
import { safeReturnPath } from "@/lib/return-path";
import { MagicLinkForm, SignInForm } from "../auth-form";

export const metadata: Metadata = { title: "Sign in" };

// Emails wait in the dev outbox (/dev/emails) when Resend is not configured and the dev tools are on.
const devOutbox = !resendConfigured && env.devToolsEnabled;

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const { next, reset } = await searchParams;
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
      <SignInForm next={safeReturnPath(next)} />
      <hr className="my-8 border-stone-200" />
      <MagicLinkForm next={safeReturnPath(next)} devOutbox={devOutbox} />
    </section>
  );
}
