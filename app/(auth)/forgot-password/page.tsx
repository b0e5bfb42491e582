import type { Metadata } from "next";
import { env } from "@/lib/env";
import { resendConfigured } from "@/lib/resend";
import { ForgotPasswordForm } from "../password-forms";

export const metadata: Metadata = { title: "Forgot your password" };

export default function ForgotPasswordPage() {
  return (
    <section className="mx-auto max-w-sm">
      <h1 className="mb-2 text-2xl font-semibold">Forgot your password?</h1>
      <p className="mb-6 text-sm text-stone-600">
        Enter the email address of your account and we will send you a link to choose a new password.
      </p>
      <ForgotPasswordForm devOutbox={!resendConfigured && env.devToolsEnabled} />
    </section>
  );
}
