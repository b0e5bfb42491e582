import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { findEvent, handledCount, recordHandled, registerTestProvider, storeEvent } from "@/tests/support/webhooks";

// Without TRIGGER_SECRET_KEY jobs run in-process after the response: hold them until the test flushes.
vi.mock("@/lib/jobs/after", () => import("@/tests/support/run-after-response"));

type ReceivedRequest = {
  method?: string;
  url?: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
};

/** A stand-in for the Trigger.dev API: answers `POST /api/v1/tasks/:id/trigger` the way the real one does. */
function startTriggerApi() {
  const received: ReceivedRequest[] = [];
  let failWith: number | undefined;
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body: JSON.parse(raw || "{}") });
      res.setHeader("content-type", "application/json");
      if (failWith) {
        res.statusCode = failWith;
        res.end(JSON.stringify({ error: "Something went wrong" }));
        return;
      }
      res.end(JSON.stringify({ id: `run_${received.length}`, isCached: false }));
    });
  });
  return {
    received,
    failNextWith: (status: number | undefined) => (failWith = status),
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("enqueue with TRIGGER_SECRET_KEY: a Trigger.dev run", () => {
  const api = startTriggerApi();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await api.listen();
  });
  afterAll(() => api.close());

  async function loadEnqueue() {
    vi.stubEnv("TRIGGER_SECRET_KEY", "tr_dev_test");
    vi.stubEnv("TRIGGER_API_URL", baseUrl);
    vi.resetModules();
    return {
      enqueue: (await import("@/lib/jobs")).enqueue,
      processWebhookEventJob: (await import("@/lib/webhooks/process")).processWebhookEventJob,
    };
  }

  it("triggers the task through the SDK with the payload and the idempotency key", async () => {
    const { enqueue, processWebhookEventJob } = await loadEnqueue();
    const payload = { provider: "stripe", eventId: "evt_123", requestId: "req_1" };

    const result = await enqueue(processWebhookEventJob, payload, { idempotencyKey: "stripe:evt_123" });

    expect(result).toEqual({ queued: true, runner: "trigger.dev", jobId: `run_${api.received.length}` });
    const request = api.received.at(-1)!;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/api/v1/tasks/process-webhook-event/trigger");
    expect(request.headers.authorization).toBe("Bearer tr_dev_test");
    const options = request.body.options as Record<string, unknown>;
    expect(options.payloadType).toBe("application/super+json");
    expect(JSON.parse(request.body.payload as string)).toEqual({ json: payload });
    // The SDK sends the key hashed, plus the key itself and its scope.
    expect(options.idempotencyKey).toBe(createHash("sha256").update("stripe:evt_123").digest("hex"));
    expect(options.idempotencyKeyOptions).toEqual({ key: "stripe:evt_123", scope: "global" });
  });

  it("reports a job it could not queue instead of throwing", async () => {
    const { enqueue, processWebhookEventJob } = await loadEnqueue();
    api.failNextWith(400);
    try {
      const result = await enqueue(processWebhookEventJob, { provider: "stripe", eventId: "evt_456" });
      expect(result).toMatchObject({ queued: false, runner: "trigger.dev" });
    } finally {
      api.failNextWith(undefined);
    }
  });
});

describe("enqueue without TRIGGER_SECRET_KEY: in this process, after the response", () => {
  async function loadInProcess() {
    vi.stubEnv("TRIGGER_SECRET_KEY", "");
    vi.resetModules();
    return {
      enqueue: (await import("@/lib/jobs")).enqueue,
      processWebhookEventJob: (await import("@/lib/webhooks/process")).processWebhookEventJob,
      logger: (await import("@/lib/logger")).logger,
      registerWebhookProvider: (await import("@/lib/webhooks/registry")).registerWebhookProvider,
    };
  }

  it("runs the job's lib function once the response is sent", async () => {
    const { enqueue, processWebhookEventJob, registerWebhookProvider } = await loadInProcess();
    const provider = registerTestProvider({ "thing.happened": recordHandled }, registerWebhookProvider);
    const { eventId } = await storeEvent(provider);

    const result = await enqueue(
      processWebhookEventJob,
      { provider, eventId },
      { idempotencyKey: `${provider}:${eventId}` },
    );
    expect(result).toMatchObject({ queued: true, runner: "in-process", jobId: expect.stringMatching(/^job_/) });
    expect((await findEvent(provider, eventId))?.status).toBe("pending");

    expect(await flushAfterResponse()).toBe(1);
    expect(await findEvent(provider, eventId)).toMatchObject({ status: "processed", attempts: 1 });
    expect(await handledCount(eventId)).toBe(1);
  });

  it("logs a job that throws with its id, and the failure never reaches the request", async () => {
    const { enqueue, processWebhookEventJob, logger } = await loadInProcess();
    vi.spyOn(processWebhookEventJob, "run").mockRejectedValue(new Error("the job broke"));
    const lines: Record<string, unknown>[] = [];
    vi.spyOn(logger, "child").mockImplementation((bindings) => capturingLogger(lines, bindings));

    const result = await enqueue(processWebhookEventJob, {
      provider: "stripe",
      eventId: "evt_1",
      requestId: "req_9",
    });
    await expect(flushAfterResponse()).resolves.toBe(1);

    expect(result.queued).toBe(true);
    const jobId = result.queued ? result.jobId : undefined;
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: "job failed",
        jobId,
        job: "process-webhook-event",
        requestId: "req_9",
        err: new Error("the job broke"),
      }),
    );
  });
});

/** A logger that keeps every line it is given, with its bindings, instead of printing it. */
function capturingLogger(lines: Record<string, unknown>[], bindings: Record<string, unknown> = {}): never {
  const log = (level: string) => (fields: object | string, msg?: string) =>
    lines.push(
      typeof fields === "string" ? { level, ...bindings, msg: fields } : { level, ...bindings, ...fields, msg },
    );
  return {
    child: (more: Record<string, unknown>) => capturingLogger(lines, { ...bindings, ...more }),
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
  } as never;
}
