import "server-only";
import { randomUUID } from "node:crypto";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import pLimit from "p-limit";
import { env } from "@/lib/env";
import { logger, type Logger } from "@/lib/logger";
import { currentRequestId, runWithRequestContext } from "@/lib/observability/request-context";
import { reportError } from "@/lib/observability/sentry";
import { withTimeout } from "@/lib/timing";
import { runAfterResponse } from "./after";

/**
 * A background job: its Trigger.dev task id and the lib function that does the
 * work. Declared with `defineJob` in the feature that owns the work; its task
 * file in trigger/ wraps the same `run`. lib/jobs never imports a feature.
 */
export type Job<P> = { readonly name: string; run(payload: P): Promise<unknown> };

export function defineJob<P>(name: string, run: (payload: P) => Promise<unknown>): Job<P> {
  return { name, run };
}

export type EnqueueOptions = {
  /**
   * On Trigger.dev a second trigger with the same key returns the first run
   * instead of starting another. The job itself must still be idempotent.
   */
  idempotencyKey?: string;
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

/**
 * The one way to start background work. With TRIGGER_SECRET_KEY the job runs
 * on Trigger.dev; without it, in this process after the response is sent.
 * Never throws: a job that cannot be queued or fails is logged with its id,
 * and the request that asked for it carries on (the sweeper retries stored work).
 */
export async function enqueue<P>(job: Job<P>, payload: P, options: EnqueueOptions = {}): Promise<EnqueueResult> {
  const log = logger.child({ job: job.name, requestId: requestIdOf(payload) ?? currentRequestId() });
  if (env.TRIGGER_SECRET_KEY) return triggerOnTriggerDev(job.name, payload, options, env.TRIGGER_SECRET_KEY, log);
  return runInProcess(job, payload, log);
}

async function triggerOnTriggerDev<P>(
  name: string,
  payload: P,
  options: EnqueueOptions,
  secretKey: string,
  log: Logger,
): Promise<EnqueueResult> {
  try {
    // Loaded only on Stack A, so the in-process setup never loads the SDK.
    const { idempotencyKeys, tasks } = await import("@trigger.dev/sdk");
    // "global": the same key means the same job, whether triggered from a request or from inside a task.
    const idempotencyKey = options.idempotencyKey
      ? await idempotencyKeys.create(options.idempotencyKey, { scope: "global" })
      : undefined;
    const handle = await withTimeout(
      tasks.trigger(
        name,
        payload,
        { idempotencyKey },
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

function runInProcess<P>(job: Job<P>, payload: P, log: Logger): EnqueueResult {
  const jobId = `job_${randomUUID()}`;
  const jobLog = log.child({ jobId });
  // The job's log lines and error reports keep the id of the request that queued it.
  const requestId = requestIdOf(payload) ?? currentRequestId() ?? jobId;
  const work = () =>
    inProcessSlots(() =>
      runWithRequestContext({ requestId }, async () => {
        await yieldToEventLoop();
        try {
          const result = await job.run(payload);
          jobLog.info({ result }, "job finished");
        } catch (error) {
          jobLog.error({ err: error }, "job failed");
          await reportJobFailure(job.name, payload, error, jobId);
        }
      }),
    );
  try {
    runAfterResponse(work);
  } catch {
    // Outside a Next request (a script, a test without the seam) there is no "after": run it now.
    jobLog.debug("no request to run after: running the job now");
    void work();
  }
  return { queued: true, runner: "in-process", jobId };
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
