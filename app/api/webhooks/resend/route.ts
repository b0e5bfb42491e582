import { handleWebhook } from "@/lib/webhooks/receive";
import { db } from "@/lib/db";
import { verifyResendEvent } from "@/lib/webhooks/providers/resend";

/** Resend's delivery events: verified, stored in the webhook inbox, acknowledged, processed in the background. */
export function POST(req: Request) {
  return handleWebhook(db, req, { provider: "resend", verify: verifyResendEvent });
}
