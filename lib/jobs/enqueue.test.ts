import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/core/logger";
import { processWebhookEventJob } from "@/lib/webhooks/process";
import { setEnv } from "@/tests/support/env";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { findEvent, handledCount, recordHandled, registerTestProvider, storeEvent } from "@/tests/support/webhooks";
import { z } from "zod";
import { defineJob, enqueue } from "./enqueue";

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
  vi.restoreAllMocks();
});

describe("enqueue with TRIGGER_SECRET_KEY: a Trigger.dev run", () => {
  const api = startTriggerApi();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await api.listen();
  });
  afterAll(() => api.close());

  const onTriggerDev = () => setEnv({ TRIGGER_SECRET_KEY: "tr_dev_test", TRIGGER_API_URL: baseUrl });

  it("triggers the task through the SDK with the payload and the idempotency key", async () => {
    onTriggerDev();
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

  it("passes a lane's key as the run's concurrencyKey, and a delay as the time to start", async () => {
    onTriggerDev();
    const laned = defineJob("laned-job", z.object({ endpointId: z.string() }), async () => undefined, {
      lane: { key: (payload) => payload.endpointId, concurrency: 4 },
    });
    const before = Date.now();
    await enqueue(laned, { endpointId: "ep_1" }, { delayMs: 5_000 });
    const options = api.received.at(-1)!.body.options as Record<string, unknown>;
    expect(options.concurrencyKey).toBe("ep_1");
    expect(Date.parse(String(options.delay))).toBeGreaterThanOrEqual(before + 5_000);
  });

  it("reports a job it could not queue instead of throwing", async () => {
    onTriggerDev();
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
  const inProcess = () => setEnv({ TRIGGER_SECRET_KEY: undefined });

  it("runs the job's lib function once the response is sent", async () => {
    inProcess();
    const provider = registerTestProvider({ "thing.happened": recordHandled });
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

  it("refuses a payload that does not match the job's schema: the work never runs, and the refusal is logged without the payload", async () => {
    inProcess();
    const provider = registerTestProvider({ "thing.happened": recordHandled });
    const { eventId } = await storeEvent(provider);
    const lines: Record<string, unknown>[] = [];
    vi.spyOn(logger, "child").mockImplementation((bindings) => capturingLogger(lines, bindings));

    // Enough to find and process the event, but `requestId` must be a string: as if a caller's type check had been bypassed.
    const result = await enqueue(processWebhookEventJob, { provider, eventId, requestId: 42 } as never);
    expect(await flushAfterResponse()).toBe(1);

    expect(await findEvent(provider, eventId)).toMatchObject({ status: "pending", attempts: 0 });
    expect(await handledCount(eventId)).toBe(0);
    const jobId = result.queued ? result.jobId : undefined;
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: "job refused: its payload does not match the job's schema",
        job: "process-webhook-event",
        jobId,
        reason: expect.stringMatching(/^requestId: /),
      }),
    );
    expect(lines.filter((line) => line.msg === "job finished")).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain(provider);
  });

  it("logs a job that throws with its id, and the failure never reaches the request", async () => {
    inProcess();
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

describe("jobs with lanes, in process", () => {
  it("run at most `concurrency` at once per key, and a stuck lane never holds another lane or other jobs", async () => {
    setEnv({ TRIGGER_SECRET_KEY: undefined });
    const running = new Map<string, number>();
    const most = new Map<string, number>();
    const release: Array<() => void> = [];
    const finished: string[] = [];
    const laned = defineJob(
      "lane-test",
      z.object({ lane: z.string(), n: z.number() }),
      async ({ lane, n }) => {
        running.set(lane, (running.get(lane) ?? 0) + 1);
        most.set(lane, Math.max(most.get(lane) ?? 0, running.get(lane)!));
        // Lane "stuck" never finishes until released; lane "free" finishes at once.
        if (lane === "stuck") await new Promise<void>((resolve) => release.push(resolve));
        running.set(lane, running.get(lane)! - 1);
        finished.push(`${lane}:${n}`);
      },
      { lane: { key: (payload) => payload.lane, concurrency: 2 } },
    );
    for (let n = 0; n < 5; n++) await enqueue(laned, { lane: "stuck", n });
    for (let n = 0; n < 5; n++) await enqueue(laned, { lane: "free", n });
    const all = flushAfterResponse();
    await vi.waitFor(() => expect(finished.filter((f) => f.startsWith("free:"))).toHaveLength(5));
    expect(most.get("stuck")).toBe(2);
    expect(finished.filter((f) => f.startsWith("stuck:"))).toEqual([]);
    while (finished.length < 10) {
      release.splice(0).forEach((go) => go());
      await new Promise((resolve) => setImmediate(resolve));
    }
    await all;
    expect(most.get("stuck")).toBe(2);
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
