import type { Metadata } from "next";
import { env } from "@/lib/env";
import { resendConfigured } from "@/lib/resend";
import { safeReturnPath } from "@/lib/return-path";
import { SignUpForm } from "../auth-form";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: PageProps<"/sign-up">) {
  const { next } = await searchParams;
  return (
    <section className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-semibold">Create your account</h1>
      <SignUpForm next={safeReturnPath(next)} devOutbox={!resendConfigured && env.devToolsEnabled} />
    </section>
  );
}
