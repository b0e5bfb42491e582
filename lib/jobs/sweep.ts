import "server-only";
import { retryFailedEmails } from "@/lib/email";
import { processPendingEvents, type SweepCounts } from "@/lib/webhooks/sweep";

export type SweepResult = { webhookEvents: SweepCounts; emails: Awaited<ReturnType<typeof retryFailedEmails>> };

/** Everything the scheduled sweep retries, one entry per kind of background work. */
export async function runSweep(): Promise<SweepResult> {
  return { webhookEvents: await processPendingEvents(), emails: await retryFailedEmails() };
}
