import type { Metadata } from "next";
import { configuredOAuthProviders } from "@/lib/auth";
import { env } from "@/lib/env";
import { resendConfigured } from "@/lib/resend";
import { safeReturnPath } from "@/lib/return-path";
import { SignUpForm } from "../auth-form";
import { OAuthButtons } from "../oauth-buttons";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: PageProps<"/sign-up">) {
  const { next } = await searchParams;
  return (
    <section className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-semibold">Create your account</h1>
      <OAuthButtons providers={configuredOAuthProviders} next={safeReturnPath(next)} />
      {configuredOAuthProviders.length > 0 && <hr className="my-6 border-stone-200" />}
      <SignUpForm next={safeReturnPath(next)} devOutbox={!resendConfigured && env.devToolsEnabled} />
    </section>
  );
}
