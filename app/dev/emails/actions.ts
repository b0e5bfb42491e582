"use server";

import { eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions";
import { db, schema } from "@/lib/db";
import { deliverSimulatedWebhook, requireDevTools } from "@/lib/dev-tools";
import { signedResendDelivery, simulatedResendEvents } from "@/lib/dev-tools/resend-events";

const simulation = z.object({ emailId: z.uuid(), type: z.enum(simulatedResendEvents) });

/**
 * Plays Resend: sends a signed delivery event for one email to our own webhook
 * route, so it goes through the same verification, inbox and handlers as a real one.
 */
export const simulateResendEventAction = validatedAction(simulation, async ({ emailId, type }) => {
  requireDevTools();
  const [email] = await db.select().from(schema.emails).where(eq(schema.emails.id, emailId));
  if (!email?.providerId) return { error: "Only a sent email can receive delivery events." };
  const delivery = signedResendDelivery(type, { email_id: email.providerId, to: [email.to], subject: email.subject });
  const response = await deliverSimulatedWebhook("resend", delivery);
  if (!response.ok) return { error: `The webhook route answered ${response.status}.` };
  revalidatePath("/dev/emails");
  return {
    ok: true,
    message: `Sent ${type}: processed in the background, and this page shows the new status by itself.`,
  };
});
