import "server-only";
import { randomUUID } from "node:crypto";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import pLimit from "p-limit";
import { z } from "zod";
import { env } from "@/lib/core/env";
import { logger, type Logger } from "@/lib/core/logger";
import { currentRequestId, runWithRequestContext } from "@/lib/observability/request-context";
import { reportError } from "@/lib/observability/sentry";
import { withTimeout } from "@/lib/core/timing";
import { runAfterResponse } from "./after";
import { mayStartInProcessJobs, trackInProcessJob } from "./drain";

/**
 * A background job: its Trigger.dev task id, the zod schema of its payload,
 * and the lib function that does the work. Declared with `defineJob` in the
 * feature that owns the work; its task in trigger/ is a `schemaTask` with the
 * same schema and `run`. lib/jobs never imports a feature.
 */
export type Job<P> = {
  readonly name: string;
  /** Checked before `run`, in this process and on Trigger.dev: a job never trusts what was enqueued. */
  readonly schema: z.ZodType<P>;
  run(payload: P): Promise<unknown>;
  readonly lane?: JobLane<P>;
};

/**
 * Runs a job's work in lanes of its own instead of the shared JOB_CONCURRENCY slots: at most
 * `concurrency` runs with the same `key` at once, and a lane that is stuck (an outside server that
 * never answers) holds only its own runs, never another lane's or other jobs'. On Trigger.dev the
 * key is the run's `concurrencyKey`, and the task declares `concurrency: { perKey }` to match.
 */
export type JobLane<P> = { key: (payload: P) => string; concurrency: number };

export function defineJob<P>(
  name: string,
  schema: z.ZodType<P>,
  run: (payload: P) => Promise<unknown>,
  options: { lane?: JobLane<P> } = {},
): Job<P> {
  return { name, schema, run, ...options };
}

/** The id of the request that queued a job, in its payload: the job's log lines and reports carry it. */
export const jobRequestId = z.string().min(1).max(128).optional();

export type EnqueueOptions = {
  /**
   * On Trigger.dev a second trigger with the same key returns the first run
   * instead of starting another. The job itself must still be idempotent.
   */
  idempotencyKey?: string;
  /**
   * Start no sooner than this many milliseconds from now (a retry's wait). In process it is a timer,
   * lost if the process stops: keep it short, and let the sweeper own anything that must survive.
   */
  delayMs?: number;
};

export type EnqueueResult =
  | { queued: true; runner: "trigger.dev" | "in-process"; jobId: string }
  | { queued: false; runner: "trigger.dev"; error: string };

// A webhook waits for this before its 200: well inside the providers' own timeouts.
const TRIGGER_TIMEOUT_MS = 5_000;

/**
 * In-process jobs run at most JOB_CONCURRENCY (default 2) at a time per server, and each first
 * yields to the event loop: a burst of webhooks or form posts is acknowledged
 * at full speed while its jobs wait their turn. (An embedded PGlite query runs
 * on this thread, so without the yield a backlog of jobs would run back to
 * back as microtasks and starve incoming requests.)
 */
const inProcessSlots = pLimit(env.jobConcurrency);

/** Jobs with a lane: one limiter per key, dropped once its lane is empty. */
const laneSlots = new Map<string, ReturnType<typeof pLimit>>();

function slotsFor<P>(job: Job<P>, payload: P): <T>(work: () => Promise<T>) => Promise<T> {
  if (!job.lane) return inProcessSlots;
  const key = `${job.name}:${job.lane.key(payload)}`;
  let lane = laneSlots.get(key);
  if (!lane) laneSlots.set(key, (lane = pLimit(job.lane.concurrency)));
  const slots = lane;
  return async (work) => {
    try {
      return await slots(work);
    } finally {
      if (slots.activeCount === 0 && slots.pendingCount === 0 && laneSlots.get(key) === slots) laneSlots.delete(key);
    }
  };
}

/**
 * The one way to start background work. With TRIGGER_SECRET_KEY the job runs
 * on Trigger.dev; without it, in this process after the response is sent.
 * Never throws: a job that cannot be queued or fails is logged with its id,
 * and the request that asked for it carries on (the sweeper retries stored work).
 */
export async function enqueue<P>(job: Job<P>, payload: P, options: EnqueueOptions = {}): Promise<EnqueueResult> {
  const log = logger.child({ job: job.name, requestId: requestIdOf(payload) ?? currentRequestId() });
  if (env.TRIGGER_SECRET_KEY) return triggerOnTriggerDev(job, payload, options, env.TRIGGER_SECRET_KEY, log);
  return runInProcess(job, payload, log, options.delayMs);
}

async function triggerOnTriggerDev<P>(
  job: Job<P>,
  payload: P,
  options: EnqueueOptions,
  secretKey: string,
  log: Logger,
): Promise<EnqueueResult> {
  try {
    // Loaded only on Stack A (Vercel + Trigger.dev, docs/deployment.md), so the in-process setup never loads the SDK.
    const { idempotencyKeys, tasks } = await import("@trigger.dev/sdk");
    // "global": the same key means the same job, whether triggered from a request or from inside a task.
    const idempotencyKey = options.idempotencyKey
      ? await idempotencyKeys.create(options.idempotencyKey, { scope: "global" })
      : undefined;
    const handle = await withTimeout(
      tasks.trigger(
        job.name,
        payload,
        {
          idempotencyKey,
          concurrencyKey: job.lane?.key(payload),
          delay: options.delayMs ? new Date(Date.now() + options.delayMs) : undefined,
        },
        {
          clientConfig: { accessToken: secretKey, baseURL: env.TRIGGER_API_URL },
          retry: { maxAttempts: 3, minTimeoutInMs: 250, maxTimeoutInMs: 2_000 },
        },
      ),
      TRIGGER_TIMEOUT_MS,
    );
    log.info({ jobId: handle.id, idempotencyKey: options.idempotencyKey }, "job queued on Trigger.dev");
    return { queued: true, runner: "trigger.dev", jobId: handle.id };
  } catch (error) {
    log.error({ err: error, idempotencyKey: options.idempotencyKey }, "could not queue job on Trigger.dev");
    return { queued: false, runner: "trigger.dev", error: error instanceof Error ? error.message : String(error) };
  }
}

function runInProcess<P>(job: Job<P>, payload: P, log: Logger, delayMs?: number): EnqueueResult {
  const jobId = `job_${randomUUID()}`;
  const jobLog = log.child({ jobId });
  // The job's log lines and error reports keep the id of the request that queued it.
  const requestId = requestIdOf(payload) ?? currentRequestId() ?? jobId;
  const slots = slotsFor(job, payload);
  const work = () =>
    slots(() =>
      runWithRequestContext({ requestId }, async () => {
        await yieldToEventLoop();
        if (!mayStartInProcessJobs()) {
          // The server is shutting down and its deadline has passed: the work is stored, and the sweeper does it.
          jobLog.info("job not started: the server is shutting down; the sweeper will do its work");
          return;
        }
        const parsed = job.schema.safeParse(payload);
        if (!parsed.success) {
          // The reason names fields and rules, never values: the payload itself stays out of the log and the report.
          const reason = describeIssues(parsed.error);
          jobLog.error({ reason }, "job refused: its payload does not match the job's schema");
          await reportJobFailure(job.name, { requestId }, new InvalidJobPayloadError(job.name, reason), jobId);
          return;
        }
        try {
          const result = await job.run(parsed.data);
          jobLog.info({ result }, "job finished");
        } catch (error) {
          jobLog.error({ err: error }, "job failed");
          await reportJobFailure(job.name, payload, error, jobId);
        }
      }),
    );
  const start = () => {
    // A server that is shutting down waits for this job (lib/jobs/drain.ts) until its deadline; a delayed job
    // counts from when it starts (if the process stops first, the sweeper has the work).
    const ended = trackInProcessJob();
    const tracked = () => work().finally(ended);
    try {
      runAfterResponse(tracked);
    } catch {
      // Outside a Next request (a script, a test without the seam, a timer) there is no "after": run it now.
      jobLog.debug("no request to run after: running the job now");
      void tracked();
    }
  };
  // A timer that never keeps the process alive: if the process stops first, the sweeper has the work.
  if (delayMs && delayMs > 0) setTimeout(start, delayMs).unref();
  else start();
  return { queued: true, runner: "in-process", jobId };
}

/** A payload that does not match its job's schema: running the job again would not change that. */
export class InvalidJobPayloadError extends Error {
  constructor(job: string, reason: string) {
    super(`Invalid payload for job "${job}": ${reason}`);
    this.name = "InvalidJobPayloadError";
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`).join("; ");
}

/**
 * Sends a job that failed for good to Sentry, tagged with the job, its id and
 * the request that queued it (and the webhook it was processing, if any). The
 * in-process runner calls it on a throw; Trigger.dev's onFailure hook
 * (trigger/init.ts) once a run has used up its retries.
 */
export function reportJobFailure(name: string, payload: unknown, error: unknown, jobId: string): Promise<void> {
  const webhook = typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>) : {};
  return reportError(error, {
    job: name,
    job_id: jobId,
    request_id: requestIdOf(payload) ?? currentRequestId(),
    provider: typeof webhook.provider === "string" ? webhook.provider : undefined,
    event_id: typeof webhook.eventId === "string" ? webhook.eventId : undefined,
  });
}

function requestIdOf(payload: unknown): string | undefined {
  if (typeof payload !== "object" || payload === null || !("requestId" in payload)) return undefined;
  return typeof payload.requestId === "string" ? payload.requestId : undefined;
}
