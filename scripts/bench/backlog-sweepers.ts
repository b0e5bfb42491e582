/**
 * The measurement behind `npm run bench -- --backlog` (scripts/bench/backlog.ts owns
 * the harness): a backlog of pending Stripe webhook events on PostgreSQL,
 * recovered by the app's own sweeper (`processPendingEvents`), as the cron
 * route runs it after an outage in which no job ran. Each configuration gets a
 * fresh backlog in a database of its own, so no other work shares its rows.
 */
import { performance } from "node:perf_hooks";
import { sql as statement } from "drizzle-orm";
import postgres from "postgres";
import { freshDatabase } from "./database";

export type BacklogConfig = { sweepers: number; batchSize: number; concurrency: number };

export type BacklogResult = BacklogConfig & {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** CPU time of this Node process (the sweepers' JavaScript) per event, in ms; Postgres's own work is not in it. */
  nodeCpuMsPerEvent: number;
  processed: number;
  /** Events whose handler ran more than once (from attempts): must be 0. */
  claimedTwice: number;
};

/**
 * `customer.subscription.updated` events for 1,000 customers this app does not
 * know, received ten minutes ago (past the sweeper's one-minute grace). The
 * handler looks the customer up, finds none and marks the event processed: one
 * transaction with two statements, as for most real events.
 */
async function fillBacklog(sql: postgres.Sql, events: number) {
  await sql`
    insert into webhook_events (provider, event_id, type, payload, received_at)
    select 'stripe', 'evt_backlog_' || g, 'customer.subscription.updated',
      jsonb_build_object(
        'id', 'evt_backlog_' || g, 'object', 'event', 'type', 'customer.subscription.updated',
        'created', extract(epoch from now())::int, 'livemode', false,
        'data', jsonb_build_object('object', jsonb_build_object(
          'id', 'sub_backlog_' || g, 'object', 'subscription', 'customer', 'cus_backlog_' || (g % 1000),
          'status', 'active', 'metadata', '{}'::jsonb, 'items', jsonb_build_object('data', '[]'::jsonb)))),
      now() - interval '10 minutes' + g * interval '1 microsecond'
    from generate_series(1, ${events}) g`;
  await sql`vacuum analyze webhook_events`;
}

export async function measureBacklog(
  databaseUrl: string,
  events: number,
  configs: BacklogConfig[],
  log: (line: string) => void,
): Promise<BacklogResult[]> {
  // The app's own modules, imported only now: lib/core/env.ts reads LOG_LEVEL (set by the caller) at import.
  const { createPostgresDatabase } = await import("@/lib/db");
  const { processPendingEvents } = await import("@/lib/webhooks/sweep");
  const results: BacklogResult[] = [];
  for (const config of configs) {
    // Dropped first if a previous run (or configuration) left it.
    const { url } = await freshDatabase(databaseUrl, "backlog_bench");
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    // Each sweeper has its own pool (as separate cron runs or instances would), one connection per worker plus its claims.
    const pools = Array.from({ length: config.sweepers }, () =>
      createPostgresDatabase(url, { max: config.concurrency + 1 }),
    );
    try {
      await fillBacklog(sql, events);
      log(
        `  ${events} pending events; ${config.sweepers} sweeper(s), batch ${config.batchSize}, concurrency ${config.concurrency}`,
      );
      await Promise.all(pools.map(({ db }) => db.execute(statement`select 1`)));
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await Promise.all(
        pools.map(({ db }) =>
          processPendingEvents(db, { batchSize: config.batchSize, concurrency: config.concurrency }),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const [row] = await sql<{ processed: number; twice: number }[]>`
        select count(*) filter (where status = 'processed')::int as processed,
               count(*) filter (where attempts > 1)::int as twice
        from webhook_events`;
      const result: BacklogResult = {
        ...config,
        events,
        seconds,
        eventsPerSecond: events / seconds,
        nodeCpuMsPerEvent: (cpu.user + cpu.system) / 1000 / events,
        processed: row!.processed,
        claimedTwice: row!.twice,
      };
      log(
        `    ${result.eventsPerSecond.toFixed(0)} events/s (${seconds.toFixed(1)} s), ${result.processed} processed, ${result.claimedTwice} claimed twice, ${result.nodeCpuMsPerEvent.toFixed(2)} Node CPU ms/event`,
      );
      results.push(result);
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
      await sql.end();
    }
  }
  return results;
}
