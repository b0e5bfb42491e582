import "server-only";
import { reconcileSubscriptions } from "@/lib/billing/reconcile";
import { deliverEmail } from "@/lib/email";
import { processWebhookEvent } from "@/lib/webhooks/process";
import { runSweep } from "./sweep";

export type ProcessWebhookEventPayload = { provider: string; eventId: string; requestId?: string };
export type SendEmailPayload = { emailId: string; requestId?: string };

/**
 * Every background job by task id: the payload it takes and the lib function
 * that does the work. Trigger.dev tasks (trigger/*.ts) and the in-process
 * runner both call these. Adding a job is one line here plus its task file.
 */
export const jobs = {
  "process-webhook-event": ({ provider, eventId, requestId }: ProcessWebhookEventPayload) =>
    processWebhookEvent(provider, eventId, { requestId }),
  "send-email": ({ emailId }: SendEmailPayload) => deliverEmail(emailId),
  sweep: () => runSweep(),
  "reconcile-subscriptions": () => reconcileSubscriptions(),
} satisfies Record<string, (payload: never) => Promise<unknown>>;

export type JobName = keyof typeof jobs;
export type JobPayload<N extends JobName> = Parameters<(typeof jobs)[N]>[0];
