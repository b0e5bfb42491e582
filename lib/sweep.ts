import "server-only";
import { releaseAbandonedGenerations } from "@/lib/ai/quota";
import type { Executor } from "@/lib/db";
import { retryFailedEmails } from "@/lib/email";
import { removeStaleUploads } from "@/lib/uploads";
import { processPendingEvents, type SweepCounts } from "@/lib/webhooks/sweep";

export type SweepResult = {
  webhookEvents: SweepCounts;
  emails: Awaited<ReturnType<typeof retryFailedEmails>>;
  uploads: Awaited<ReturnType<typeof removeStaleUploads>>;
  /** AI calls left pending by a server or job that went away, marked failed (given back to the quota). */
  aiGenerationsReleased: number;
};

/** Leaves room within the cron route's 60 s maxDuration (vercel.json) for the answer. */
export const SWEEP_BUDGET_MS = 40_000;

/** Everything the scheduled sweep retries, one entry per kind of background work, within one time budget. */
export async function runSweep(db: Executor): Promise<SweepResult> {
  const start = Date.now();
  const deadline = start + SWEEP_BUDGET_MS;
  return {
    // A webhook backlog may take every run's whole budget: the emails still get their share.
    webhookEvents: await processPendingEvents(db, { deadline: start + SWEEP_BUDGET_MS * 0.6 }),
    emails: await retryFailedEmails(db, { deadline: start + SWEEP_BUDGET_MS * 0.85 }),
    // Abandoned uploads (pending for a day) and photos no recipe holds, with their objects.
    uploads: await removeStaleUploads(db, { deadline }),
    aiGenerationsReleased: await releaseAbandonedGenerations(db),
  };
}
