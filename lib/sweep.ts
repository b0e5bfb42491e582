import "server-only";
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
  };
}
