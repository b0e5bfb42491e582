"use server";

import { eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { POST as receiveResendWebhook } from "@/app/api/webhooks/resend/route";
import { validatedAction } from "@/lib/actions";
import { db, schema } from "@/lib/db";
import { env } from "@/lib/env";
import { signedResendDelivery, simulatedResendEvents } from "@/lib/webhooks/providers/resend-simulator";

const simulation = z.object({ emailId: z.uuid(), type: z.enum(simulatedResendEvents) });

/**
 * Plays Resend: sends a signed delivery event for one email to our own webhook
 * route, so it goes through the same verification, inbox and handlers as a real one.
 */
export const simulateResendEventAction = validatedAction(simulation, async ({ emailId, type }) => {
  if (!env.devToolsEnabled) return { error: "Developer tools are disabled." };
  const [email] = await db.select().from(schema.emails).where(eq(schema.emails.id, emailId));
  if (!email?.providerId) return { error: "Only a sent email can receive delivery events." };
  const delivery = signedResendDelivery(type, { email_id: email.providerId, to: [email.to], subject: email.subject });
  const response = await receiveResendWebhook(
    new Request(`${env.appUrl}/api/webhooks/resend`, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    }),
  );
  if (!response.ok) return { error: `The webhook route answered ${response.status}.` };
  revalidatePath("/dev/emails");
  return { ok: true, message: `Sent ${type}: it is processed in the background; reload to see the new status.` };
});
