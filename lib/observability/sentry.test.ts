import { randomUUID } from "node:crypto";
import * as Sentry from "@sentry/nextjs";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as throwTestError } from "@/app/api/dev/test-error/route";
import { db } from "@/lib/db";
import { sendEmailJob } from "@/lib/email";
import { enqueue } from "@/lib/jobs";
import { MAX_WEBHOOK_ATTEMPTS, processWebhookEvent } from "@/lib/webhooks";
import { eventually } from "@/tests/support/fake-ingest";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { registerTestProvider, storeEvent } from "@/tests/support/webhooks";
import { runWithRequestContext } from "./request-context";
import { startServerSentry } from "./sentry";

// The real SDK, pointed by its DSN at a local stand-in for Sentry's envelope endpoint (before lib/core/env.ts reads it).
const ingest = await vi.hoisted(async () => {
  const { startFakeIngest } = await import("../../tests/support/fake-ingest");
  const started = await startFakeIngest();
  process.env.SENTRY_DSN = started.sentryDsn;
  return started;
});

// What must never leave: each appears in the request or the error below.
const secrets = {
  sessionCookie: "sess_cookie_value_5f2a9c",
  bearer: "sk_live_bearer_value_81bd",
  queryToken: "tok_query_value_33aa",
  email: "ann.secret@example.com",
  bodyMarker: "body_marker_value_77e1",
};

function expectNothingSecretIn(raw: string) {
  for (const value of Object.values(secrets)) expect(raw).not.toContain(value);
  expect(raw).not.toContain(encodeURIComponent(secrets.email));
}

await startServerSentry();
beforeEach(() => ingest.clear());
afterAll(async () => {
  await Sentry.close(2_000);
  await ingest.close();
});

describe("Sentry, with SENTRY_DSN set", () => {
  it("starts with tracing off: no tracesSampleRate at all, since even 0 records a span per request", () => {
    const options = Sentry.getClient()?.getOptions();
    expect(options).toBeDefined();
    expect(options!.tracesSampleRate).toBeUndefined();
    expect(options!.tracesSampler).toBeUndefined();
  });

  it("receives the test error thrown by GET /api/dev/test-error, tagged with the request id, without cookies, tokens, emails or query", async () => {
    const requestId = `req-${randomUUID()}`;
    const response = await throwTestError(
      new Request(
        `http://localhost/api/dev/test-error?token=${secrets.queryToken}&email=${encodeURIComponent(secrets.email)}`,
        {
          headers: {
            cookie: `better-auth.session_token=${secrets.sessionCookie}`,
            authorization: `Bearer ${secrets.bearer}`,
            "x-request-id": requestId,
            "user-agent": "vitest",
          },
        },
      ),
    );
    // The route wrapper answers a bug itself (500, naming the request id) and reports it as Next's onRequestError would.
    expect(response.status).toBe(500);
    expect((await response.json()).error).toContain(requestId);
    await Sentry.flush(2_000);

    const [event] = await eventually(() => ingest.sentryErrors().length > 0 && ingest.sentryErrors());
    expect(event!.raw).toContain("ObservabilityTestError");
    expect(event!.payload.tags).toMatchObject({ request_id: requestId });
    const request = event!.payload.request as { url?: string; headers?: Record<string, string> };
    expect(request.headers?.["user-agent"]).toBe("vitest");
    expect(request.headers).not.toHaveProperty("cookie");
    expect(request.headers).not.toHaveProperty("authorization");
    expectNothingSecretIn(event!.raw);
  });

  it("receives a dead webhook with its provider, event id, job and request id tags, and no email, token or body", async () => {
    const provider = registerTestProvider({
      "customer.updated": async () => {
        throw new Error(`upstream refused customer ${secrets.email} with key ${secrets.bearer}`);
      },
    });
    const requestId = `req-${randomUUID()}`;
    const { eventId } = await storeEvent(provider, {
      type: "customer.updated",
      status: "failed",
      attempts: MAX_WEBHOOK_ATTEMPTS - 1,
      requestId,
      payload: { email: secrets.email, note: secrets.bodyMarker },
    });

    expect(await processWebhookEvent(db, provider, eventId)).toMatchObject({ status: "dead" });

    const [event] = await eventually(() => ingest.sentryErrors().length > 0 && ingest.sentryErrors());
    expect(event!.payload.tags).toMatchObject({
      job: "process-webhook-event",
      provider,
      event_id: eventId,
      request_id: requestId,
    });
    expect(event!.raw).toContain("upstream refused customer [email] with key [redacted]");
    expectNothingSecretIn(event!.raw);
  });

  it("receives a job refused for its payload, tagged with the job and its id, without the payload", async () => {
    const requestId = `req-${randomUUID()}`;
    const result = await runWithRequestContext({ requestId }, () =>
      enqueue(sendEmailJob, { emailId: secrets.bodyMarker, requestId } as never),
    );
    await flushAfterResponse();

    const [event] = await eventually(() => ingest.sentryErrors().length > 0 && ingest.sentryErrors());
    expect(event!.payload.tags).toMatchObject({
      job: "send-email",
      job_id: result.queued ? result.jobId : "not queued",
      request_id: requestId,
    });
    const [exception] = (event!.payload.exception as { values: { type: string; value: string }[] }).values;
    expect(exception).toMatchObject({
      type: "InvalidJobPayloadError",
      value: 'Invalid payload for job "send-email": emailId: Invalid UUID',
    });
    expectNothingSecretIn(event!.raw);
  });

  it("sends nothing for a webhook failure that will still be retried", async () => {
    const provider = registerTestProvider({
      "customer.updated": async () => {
        throw new Error("temporarily broken");
      },
    });
    const { eventId } = await storeEvent(provider, { type: "customer.updated" });
    expect(await processWebhookEvent(db, provider, eventId)).toMatchObject({ status: "failed" });
    await Sentry.flush(2_000);
    expect(ingest.sentryErrors()).toEqual([]);
  });
});
