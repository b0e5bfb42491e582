import "server-only";
import { releaseAbandonedGenerations } from "@/lib/ai";
import type { Executor } from "@/lib/db";
import { retryFailedEmails } from "@/lib/email";
import { syncPendingSeats } from "@/lib/teams";
import { removeStaleUploads } from "@/lib/uploads";
import { processPendingEvents, type SweepCounts } from "@/lib/webhooks";
import { sweepWebhookDeliveries, type WebhookSweepResult } from "@/lib/webhooks-out";

export type SweepResult = {
  webhookEvents: SweepCounts;
  emails: Awaited<ReturnType<typeof retryFailedEmails>>;
  uploads: Awaited<ReturnType<typeof removeStaleUploads>>;
  /** AI calls left pending by a server or job that went away, marked failed (given back to the quota). */
  aiGenerationsReleased: number;
  /** Teams whose latest membership change Stripe had not heard of: their seats synced now. */
  seats: Awaited<ReturnType<typeof syncPendingSeats>>;
  /** Outbound webhooks: messages whose fan-out never ran, and tries due that nobody holds. */
  outboundWebhooks: WebhookSweepResult;
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
    seats: await syncPendingSeats(db, { deadline }),
    outboundWebhooks: await sweepWebhookDeliveries(db, { deadline }),
  };
}
