import os from "node:os";
import { measureBacklog } from "./backlog-sweepers";
import { machineLine, postgresVersion, writeDocsSection } from "./markdown";

/**
 * Recovering a backlog on PostgreSQL: BENCH_BACKLOG_EVENTS (100,000) pending
 * webhook events, drained by 1, 2 and 4 sweepers at once with the default
 * batch size and concurrency (SWEEP_BATCH_SIZE, SWEEP_CONCURRENCY).
 */
export async function benchBacklog() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("--backlog measures the sweeper on PostgreSQL: set DATABASE_URL");
  const events = Number(process.env.BENCH_BACKLOG_EVENTS ?? 100_000);
  // One warning per event ("a customer this app does not know") would be most of the work: errors only.
  process.env.LOG_LEVEL = "error";
  const { env } = await import("@/lib/core/env");
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  console.log(`\n# backlog: ${events} pending webhook events, PostgreSQL`);
  const defaults = { batchSize: env.sweepBatchSize, concurrency: env.sweepConcurrency };
  const results = await measureBacklog(
    databaseUrl,
    events,
    [1, 2, 4].map((sweepers) => ({ sweepers, ...defaults })),
    console.log,
  );
  const { closeDatabase } = await import("@/lib/db");
  const markdown = [
    `Machine: ${machineLine(`${events.toLocaleString("en")} pending Stripe events, sweepers in the benchmark's process`)} PostgreSQL ${await postgresVersion()} on the same machine; load average ${loadBefore} when the run began.`,
    "",
    "| sweepers at once | batch | concurrency each | seconds | events/s | Node CPU ms/event | processed | claimed twice |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...results.map(
      (r) =>
        `| ${r.sweepers} | ${r.batchSize} | ${r.concurrency} | ${r.seconds.toFixed(1)} | **${r.eventsPerSecond.toFixed(0)}** | ${r.nodeCpuMsPerEvent.toFixed(2)} | ${r.processed} | ${r.claimedTwice} |`,
    ),
  ].join("\n");
  await closeDatabase();
  console.log(`\n${markdown}\n`);
  writeDocsSection("bench-backlog", markdown);
}
