import "server-only";
import type { Server } from "node:http";
import { logger } from "@/lib/core/logger";
import { closeDatabase, db } from "@/lib/db";
import { releaseClaimedEmails } from "@/lib/email";
import { drainInProcessJobs } from "@/lib/jobs";
import { stopRealtimeHub } from "@/lib/realtime";
import { releaseClaimedWebhookEvents } from "@/lib/webhooks";
import { closeServer, knownHttpServers } from "./http";
import { markDraining } from "./state";

export type DrainReport = {
  /** The requests in flight were all answered before the deadline (else the rest were cut). */
  requestsFinished: boolean;
  /** In-process jobs still running or queued at the deadline. */
  jobsUnfinished: number;
  /** Rows this process had claimed and not finished, given back to the sweeper. */
  released: { webhookEvents: number; emails: number };
  seconds: number;
};

/**
 * How long a draining server keeps taking requests while its health check answers 503, so that a
 * balancer polling it stops sending it traffic before it stops taking connections. Closing the
 * listening socket while connections still arrive resets those waiting in its accept queue:
 * requests the app never read, which a client sees as a dropped request.
 */
export const KEEP_SERVING_MS = 2_000;

/**
 * Shuts this server down without losing work (Stack B, containers). At once: /api/health answers
 * 503 and every answer closes its connection, and open event streams are ended with a `retry:`
 * so browsers reconnect to another instance. After `keepServingMs`: no new connections (a
 * balancer sends them elsewhere), requests in flight answered and in-process jobs finished until
 * `deadline` (ms since the epoch). What is still unfinished then goes back to the sweeper: queued
 * jobs do not start, and the webhook events and emails this process had claimed are unlocked and
 * due at once. Then the LISTEN connection and the pool are closed. Never throws: a step that fails
 * is logged and the next one runs.
 */
export async function drainServer(
  deadline: number,
  {
    servers = knownHttpServers(),
    keepServingMs = KEEP_SERVING_MS,
  }: { servers?: Server[]; keepServingMs?: number } = {},
): Promise<DrainReport> {
  const started = Date.now();
  const log = logger.child({ feature: "drain" });
  markDraining();
  await step(log, "end the event streams", stopRealtimeHub());
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(keepServingMs, deadline - Date.now()))));
  // Servers first seen during the delay (a request names its server) are closed too.
  const open = [...new Set([...servers, ...knownHttpServers()])];
  const closed = Promise.all(open.map(closeServer));

  const requestsFinished = await beforeDeadline(closed, deadline);
  // Past the deadline: what is still open (a long AI stream) is cut, its client retries elsewhere.
  if (!requestsFinished) for (const server of open) server.closeAllConnections();
  const jobs = await drainInProcessJobs(deadline);

  const released = {
    webhookEvents: (await step(log, "give claimed webhook events back", releaseClaimedWebhookEvents(db))) ?? 0,
    emails: (await step(log, "give claimed emails back", releaseClaimedEmails(db))) ?? 0,
  };
  await step(log, "close the database pool", closeDatabase());

  const report = {
    requestsFinished,
    jobsUnfinished: jobs.unfinished,
    released,
    seconds: (Date.now() - started) / 1000,
  };
  log.info(report, "server drained");
  return report;
}

/** Whether `work` settled before `deadline`. */
async function beforeDeadline(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<false>(
    (resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), false)),
  );
  const finished = await Promise.race([work.then(() => true), timeUp]);
  clearTimeout(timer);
  return finished;
}

async function step<T>(log: typeof logger, what: string, work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    log.error({ err: error }, `drain: could not ${what}`);
    return undefined;
  }
}
