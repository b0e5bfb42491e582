"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions";
import { requireDevTools } from "@/lib/dev-tools";
import { replayWebhookEvent } from "@/lib/webhooks";
import { db } from "@/lib/db";

const replayInput = z.object({ id: z.uuid({ error: "Not a webhook event id." }) });

export const replayWebhookEventAction = validatedAction(replayInput, async ({ id }) => {
  requireDevTools();
  const replay = await replayWebhookEvent(db, id);
  if (!replay) return { error: "That webhook event no longer exists." };
  revalidatePath("/dev/webhooks");
  const { event, job } = replay;
  return job.queued
    ? { ok: true, message: `Replaying ${event.type} (${event.eventId}).` }
    : {
        ok: true,
        message: `Reset ${event.eventId}; its job could not be queued, so the sweeper will run it within minutes.`,
      };
});
