/**
 * (b) SIGTERM to one instance during a burst of signed webhooks: it drains (its health check
 * fails, then it refuses new connections, answers what it took, ends its streams with a retry:,
 * finishes or gives back its jobs) and exits 0; every accepted event is processed once, by the
 * other instance or by itself after a restart, and no request goes unanswered. Run twice: with
 * the default deadline, and with a 1 s deadline and one job at a time, so that work is left over
 * and given back to the sweeper.
 * (c) kill -9 of one instance mid-burst: nothing runs after it; the other's sweeper finishes the
 * work, and no event is lost or processed twice.
 */
import { instanceEnv, Instance, type Database } from "./cluster";
import {
  ageStaleLocks,
  droppedReadByApp,
  processingSettled,
  sweepUntilProcessed,
  type ProcessingReport,
} from "./checks";
import { Balancer, burst, burstCounts, emptyBurstReport, openEventStream, signedStripeEvent, signUp } from "./traffic";

export type StopResult = {
  /** The stopped instance's settings that differ from the defaults. */
  settings: Record<string, string>;
  events: ReturnType<typeof burstCounts> & {
    /** SIGTERM: dropped requests the app had read (from the request log); must be 0 like `dropped`. */
    droppedReadByApp?: number;
    /** kill -9: dropped deliveries the dead instance had stored before it could answer; their redelivery is a duplicate. */
    droppedButStored?: number;
  };
  processing: ProcessingReport;
  /** Seconds from the signal to the process's exit, and how it ended. */
  exit: { seconds: number; code: number | null; signal: string | null };
  /** The drained instance's own report (its "server drained" log line), SIGTERM only. */
  drained?: Record<string, unknown>;
  /** The stream the stopped instance held: ended with a retry: (SIGTERM) or cut (kill -9). */
  stream: { endedWithRetryMs?: number };
  /** Rows the killed instance left locked, whose lock the test aged past the 10-minute timeout (kill -9 only). */
  staleLocksAged?: number;
  sweeps: number;
  secondsToAllProcessed: number;
};

export async function stopMidBurst(
  db: Database,
  ports: [number, number],
  how: "sigterm" | "kill9",
  { events = 500, settings = {} }: { events?: number; settings?: Record<string, string> } = {},
): Promise<StopResult> {
  const a = new Instance("A", ports[0], instanceEnv(db.url, ports[0], settings));
  const b = new Instance("B", ports[1], instanceEnv(db.url, ports[1]));
  const instances = [a, b];
  try {
    await Promise.all(instances.map((instance) => instance.start()));
    const user = await signUp(b.base);
    const stream = openEventStream(a.base, user.cookie);
    await stream.ready();

    // The providers reach the instances through a balancer that follows their health checks.
    const balancer = new Balancer(instances);
    balancer.start();
    const deliveries = Array.from({ length: events }, () => signedStripeEvent());
    const report = emptyBurstReport();
    let stoppedAt = 0;
    const stopAt = Math.floor(events * 0.3);
    await burst(deliveries, balancer.healthy, report, {
      onRefused: balancer.takeOut,
      onSent: (i) => {
        if (i !== stopAt || stoppedAt) return;
        stoppedAt = Date.now();
        if (how === "sigterm") a.terminate();
        else a.kill9();
      },
    });
    const exited = await a.exit!;
    const exit = { seconds: (a.exitedAt! - stoppedAt) / 1000, code: exited.code, signal: exited.signal };
    const closed = await stream.closed;

    const counts: StopResult["events"] = burstCounts(report);
    if (how === "sigterm") {
      counts.droppedReadByApp = droppedReadByApp(report.droppedRequestIds, instances);
      if (report.dropped)
        throw new Error(`${report.dropped} requests dropped without an answer: ${report.droppedErrors.join("; ")}`);
      if (exited.code !== 0) throw new Error(`A exited with ${exited.code ?? exited.signal}`);
      // "By the other instance or after restart": A comes back and serves again.
      await a.start();
    }
    let staleLocksAged: number | undefined;
    if (how === "kill9") {
      const [stored] = await db.sql<{ count: number }[]>`
        select count(*)::int as count from webhook_events where request_id = any(${report.droppedRequestIds})`;
      counts.droppedButStored = stored!.count;
      // Once B's own jobs are done, what is still `processing` is what A held when it died.
      await processingSettled(db);
      staleLocksAged = await ageStaleLocks(db);
    }
    const {
      report: processing,
      sweeps,
      seconds,
    } = await sweepUntilProcessed(db, report.acceptedIds, instances, () => b);
    balancer.stop();
    if (processing.processed !== report.accepted || processing.duplicates || processing.missing)
      throw new Error(`processing: ${JSON.stringify(processing)}`);
    if (how === "sigterm" && !(closed.retries.length > 1))
      throw new Error("A's event stream was not ended with a retry:");

    return {
      settings,
      events: counts,
      processing,
      exit,
      drained: drainReport(a),
      stream: { endedWithRetryMs: closed.retries.length > 1 ? closed.retries.at(-1) : undefined },
      staleLocksAged,
      sweeps,
      secondsToAllProcessed: seconds,
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
  }
}

/** The fields of the stopped instance's "server drained" log line. */
function drainReport(instance: Instance) {
  const line = instance.linesWith("server drained")[0];
  if (!line) return undefined;
  const { requestsFinished, jobsUnfinished, released, seconds } = line;
  return { requestsFinished, jobsUnfinished, released, seconds };
}
