import "server-only";
import { releaseAbandonedGenerations } from "@/lib/ai/quota";
import type { Executor } from "@/lib/db";
import { retryFailedEmails } from "@/lib/email";
import { removeStaleUploads } from "@/lib/uploads";
import { deleteExpiredRealtimeEvents } from "@/lib/realtime";
import { processPendingEvents, type SweepCounts } from "@/lib/webhooks/sweep";

export type SweepResult = {
  webhookEvents: SweepCounts;
  emails: Awaited<ReturnType<typeof retryFailedEmails>>;
  uploads: Awaited<ReturnType<typeof removeStaleUploads>>;
  /** Realtime events past their 24 h replay window, deleted. */
  realtimeEventsDeleted: number;
  /** AI calls left pending by a server or job that went away, marked failed (given back to the quota). */
  aiGenerationsReleased: number;
};

/** Leaves room within the cron route's 60 s maxDuration (vercel.json) for the answer. */
export const SWEEP_BUDGET_MS = 40_000;

/** Everything the scheduled sweep retries, one entry per kind of background work, within one time budget. */
export async function runSweep(db: Executor): Promise<SweepResult> {
  const deadline = Date.now() + SWEEP_BUDGET_MS;
  return {
    webhookEvents: await processPendingEvents(db, { deadline }),
    emails: await retryFailedEmails(db, { deadline }),
    // Abandoned uploads (pending for a day) and photos no recipe holds, with their objects.
    uploads: await removeStaleUploads(db, { deadline }),
    realtimeEventsDeleted: await deleteExpiredRealtimeEvents(db),
    aiGenerationsReleased: await releaseAbandonedGenerations(db),
  };
}
