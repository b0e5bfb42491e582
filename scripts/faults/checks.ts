/**
 * How the fault tests decide that every accepted event was processed exactly once: the database
 * says each is `processed` (none pending, failed, dead or still locked), and the instances' logs
 * hold one "webhook event processed" line per event, written after its transaction committed, so
 * two lines for one event would be two committed runs.
 */
import { sleep, type Database, type Instance } from "./cluster";
import { sweep } from "./traffic";

export type ProcessingReport = {
  accepted: number;
  processed: number;
  /** Events with more than one committed run (log lines): must be 0. */
  duplicates: number;
  /** Accepted events the database does not hold: must be 0. */
  missing: number;
  /** Statuses of the accepted events that are not processed, by status. */
  unfinished: Record<string, number>;
};

export async function processingReport(
  db: Database,
  accepted: Set<string>,
  instances: Instance[],
): Promise<ProcessingReport> {
  const ids = [...accepted];
  const rows = await db.sql<{ event_id: string; status: string }[]>`
    select event_id, status from webhook_events where provider = 'stripe' and event_id = any(${ids})`;
  const unfinished: Record<string, number> = {};
  let processed = 0;
  for (const row of rows) {
    if (row.status === "processed") processed += 1;
    else unfinished[row.status] = (unfinished[row.status] ?? 0) + 1;
  }
  const runs = new Map<string, number>();
  for (const instance of instances)
    for (const line of instance.linesWith("webhook event processed")) {
      const eventId = String(line.eventId);
      if (accepted.has(eventId)) runs.set(eventId, (runs.get(eventId) ?? 0) + 1);
    }
  return {
    accepted: accepted.size,
    processed,
    duplicates: [...runs.values()].filter((count) => count > 1).length,
    missing: accepted.size - rows.length,
    unfinished,
  };
}

/**
 * Runs the sweep on `sweeper` (as the cron job does) until every accepted event is processed or
 * `timeoutMs` passes. Pending events a lost job left are due a minute after they arrived, so this
 * takes up to a minute and a bit.
 */
export async function sweepUntilProcessed(
  db: Database,
  accepted: Set<string>,
  instances: Instance[],
  sweeper: () => Instance,
  timeoutMs = 150_000,
): Promise<{ report: ProcessingReport; sweeps: number; seconds: number }> {
  const started = Date.now();
  let sweeps = 0;
  for (;;) {
    const report = await processingReport(db, accepted, instances);
    if (report.processed === report.accepted) return { report, sweeps, seconds: (Date.now() - started) / 1000 };
    if (Date.now() - started > timeoutMs) return { report, sweeps, seconds: (Date.now() - started) / 1000 };
    await sweep(sweeper());
    sweeps += 1;
    await sleep(2_000);
  }
}

/**
 * Rows a killed worker left locked: `processing` rows nobody is working on. Their lock goes stale
 * after 10 minutes (lib/webhooks/process.ts); the test stands in for those minutes by ageing the
 * lock, and says how many rows needed it.
 */
export async function ageStaleLocks(db: Database): Promise<number> {
  const aged = await db.sql`
    update webhook_events set locked_at = locked_at - interval '11 minutes'
    where status = 'processing' returning id`;
  return aged.length;
}

/** Connections the app's instances hold on the test's database (the test's own excluded). */
export async function appConnections(db: Database): Promise<number> {
  const [row] = await db.sql<{ count: number }[]>`
    select count(*)::int as count from pg_stat_activity
    where datname = ${db.name} and application_name <> 'faults-checks'`;
  return row?.count ?? 0;
}

/** Waits until the number of `processing` rows has not changed for three seconds: the live workers are idle. */
export async function processingSettled(db: Database, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let sameSince = Date.now();
  for (;;) {
    const [row] = await db.sql<{ count: number }[]>`
      select count(*)::int as count from webhook_events where status = 'processing'`;
    if (row!.count !== last) [last, sameSince] = [row!.count, Date.now()];
    else if (Date.now() - sameSince >= 3_000) return last;
    if (Date.now() > deadline) throw new Error("webhook processing did not settle");
    await sleep(250);
  }
}

/**
 * Of the requests a client saw dropped (taken and never answered), how many the app had read: an
 * instance's log has a request line with their x-request-id. The others never reached the app
 * (a connection reset by a process that died, or in the kernel's accept queue).
 */
export function droppedReadByApp(requestIds: string[], instances: Instance[]): number {
  const read = new Set<string>();
  for (const instance of instances) for (const line of instance.linesWith("request")) read.add(String(line.requestId));
  return requestIds.filter((id) => read.has(id)).length;
}
