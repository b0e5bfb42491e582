import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { planWeekJob } from "@/lib/ai/week-plan";
import { sendEmailJob } from "@/lib/email";
import type { Job } from "@/lib/jobs";
import { processWebhookEventJob } from "@/lib/webhooks/process";
import { planWeekTask } from "./plan-week";
import { processWebhookEventTask } from "./process-webhook-event";
import { sendEmailTask } from "./send-email";
import { syncSeatsTask } from "./sync-seats";
import { syncSeatsJob } from "@/lib/teams/seats";
import { deliverWebhookJob, dispatchMessageJob } from "@/lib/webhooks-out";
import { deliverWebhookTask } from "./deliver-webhook";
import { dispatchWebhookMessageTask } from "./dispatch-webhook-message";

/** Each Trigger.dev task, the job it runs, a payload the job accepts, and payloads it must refuse. */
const cases = [
  {
    task: sendEmailTask,
    job: sendEmailJob as Job<unknown>,
    valid: { emailId: randomUUID(), requestId: "req-1" },
    invalid: [{}, { emailId: "not-an-email-id" }, { emailId: randomUUID(), requestId: 42 }],
  },
  {
    task: processWebhookEventTask,
    job: processWebhookEventJob as Job<unknown>,
    valid: { provider: "stripe", eventId: "evt_1" },
    invalid: [{ provider: "stripe" }, { provider: "", eventId: "evt_1" }, { provider: "stripe", eventId: 1 }],
  },
  {
    task: planWeekTask,
    job: planWeekJob as Job<unknown>,
    valid: { generationId: randomUUID() },
    invalid: [{}, { generationId: "week-1" }, null],
  },
  {
    task: syncSeatsTask,
    job: syncSeatsJob as Job<unknown>,
    valid: { organizationId: "team_1" },
    invalid: [{}, { organizationId: "" }, { organizationId: 7 }],
  },
  {
    task: dispatchWebhookMessageTask,
    job: dispatchMessageJob as Job<unknown>,
    valid: { messageId: "msg_0123456789abcdef0123456789abcdef" },
    invalid: [{}, { messageId: "" }, { messageId: 5 }],
  },
  {
    task: deliverWebhookTask,
    job: deliverWebhookJob as Job<unknown>,
    valid: { attemptId: randomUUID(), endpointId: randomUUID() },
    invalid: [{}, { attemptId: randomUUID() }, { attemptId: "a-1", endpointId: randomUUID() }],
  },
];

describe.each(cases)("the Trigger.dev task $job.name", ({ task, job, valid, invalid }) => {
  it("runs the job under its name and checks the payload with the job's own schema", () => {
    expect(task.id).toBe(job.name);
    expect(task.schema).toBe(job.schema);
  });

  it("refuses a payload the job's schema refuses, and takes a valid one", () => {
    expect(task.schema!.safeParse(valid)).toMatchObject({ success: true });
    for (const payload of invalid) expect(task.schema!.safeParse(payload)).toMatchObject({ success: false });
  });
});
