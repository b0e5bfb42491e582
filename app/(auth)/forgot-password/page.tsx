import type { Metadata } from "next";
import { env } from "@/lib/core/env";
import { resendConfigured } from "@/lib/email/resend";
import { AuthCard } from "../auth-card";
import { ForgotPasswordForm } from "../password-forms";

export const metadata: Metadata = { title: "Forgot your password" };

export default function ForgotPasswordPage() {
  return (
    <AuthCard
      title="Forgot your password?"
      intro="Enter the email address of your account and we will send you a link to choose a new password."
    >
      <ForgotPasswordForm devOutbox={!resendConfigured && env.devToolsEnabled} />
    </AuthCard>
  );
}
