import type { Metadata } from "next";
import { Separator } from "@/components/ui/separator";
import { configuredOAuthProviders } from "@/lib/auth";
import { env } from "@/lib/core/env";
import { resendConfigured } from "@/lib/email/resend";
import { safeReturnPath } from "@/lib/http/return-path";
import { AuthCard } from "../auth-card";
import { SignUpForm } from "../auth-form";
import { OAuthButtons } from "../oauth-buttons";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: PageProps<"/sign-up">) {
  const { next } = await searchParams;
  return (
    <AuthCard title="Create your account">
      <OAuthButtons providers={configuredOAuthProviders} next={safeReturnPath(next)} />
      {configuredOAuthProviders.length > 0 && <Separator />}
      <SignUpForm next={safeReturnPath(next)} devOutbox={!resendConfigured && env.devToolsEnabled} />
    </AuthCard>
  );
}
