import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { machineLine, postgresVersion, writeDocsSection } from "./markdown";
import { rssOfTree } from "./processes";
import { measureRealtimeFanOut, type LatencySummary } from "./realtime-streams";
import { prepareServerEnv, startServer, stopServer, waitForServer } from "./server";
import { base } from "./settings";

/**
 * Real-time fan-out on PostgreSQL: one server, BENCH_REALTIME_STREAMS users
 * (200) each holding one open stream. The server's own log gives the other
 * half: `fanOutLatencyMs` (publish → written to the streams) per event.
 */
export async function benchRealtime() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("--realtime measures LISTEN/NOTIFY on PostgreSQL: set DATABASE_URL");
  const streams = Number(process.env.BENCH_REALTIME_STREAMS ?? 200);
  console.log(`\n# real-time fan-out, ${streams} open streams, PostgreSQL`);
  // The machine may be shared: say how busy it was.
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  const env = await prepareServerEnv(databaseUrl, mkdtempSync(path.join(os.tmpdir(), "bench-pglite-")), {
    // Each user signs up once; the limits are not what is measured here.
    AUTH_RATE_LIMIT: "100000000",
    AUTH_GLOBAL_RATE_LIMIT: "100000000",
    AUTH_EMAIL_GLOBAL_RATE_LIMIT: "100000000",
    LOG_LEVEL: "info",
  });
  // The publisher is the app's own code, run here against the same database (`npm run bench` runs under react-server conditions).
  const { db, closeDatabase } = await import("@/lib/db");
  const { publishRealtimeEvent } = await import("@/lib/realtime/events");
  const publish = async (userId: string, recipeId: string) => {
    let committing = 0;
    const { id } = await db.transaction(async (tx) => {
      const event = await publishRealtimeEvent(tx, { userId }, "recipe.changed", { recipeId, change: "updated" });
      committing = performance.now(); // the callback returns, and drizzle sends COMMIT
      return event;
    });
    return { id, committing };
  };

  const server = startServer(env, "pipe");
  const serverFanOut: number[] = [];
  let maxOpenStreams = 0;
  let logTail = "";
  server.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (logTail + chunk).split("\n");
    logTail = lines.pop()!;
    for (const line of lines) {
      if (!line.includes('"feature":"realtime"')) continue; // the structured log is one JSON object a line
      const entry = JSON.parse(line) as { fanOutLatencyMs?: number; openStreams?: number };
      if (entry.fanOutLatencyMs !== undefined) serverFanOut.push(entry.fanOutLatencyMs);
      maxOpenStreams = Math.max(maxOpenStreams, entry.openStreams ?? 0);
    }
  });
  try {
    await waitForServer(server);
    const result = await measureRealtimeFanOut({ base, serverPid: server.pid!, streams, rssOfTree }, publish);
    const sorted = serverFanOut.sort((a, b) => a - b);
    const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    const row = (label: string, { count, lost, p50, p99, max }: LatencySummary) =>
      `| ${label} | ${count} | ${lost} | ${p50.toFixed(1)} | ${p99.toFixed(1)} | ${max.toFixed(1)} |`;
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    const markdown = [
      `Machine: ${machineLine(`${result.streams} users with one open stream each (${maxOpenStreams} open at the peak, from the server's log)`)} PostgreSQL ${await postgresVersion()} on the same machine; load average ${loadBefore} when the run began.`,
      "",
      "| events | received | lost | p50 ms | p99 ms | max ms |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      row("one at a time (each awaited)", result.sequential),
      row("one per user at once (10 publishers)", result.burst),
      "",
      `Server side (\`fanOutLatencyMs\` in the log, publish → written to the streams, ${sorted.length} events): p50 ${quantile(0.5)} ms, p99 ${quantile(0.99)} ms. Events delivered to the wrong user: ${result.misdelivered}.`,
      "",
      `Memory: server RSS ${mib(result.rssBefore)} MiB before the streams, ${mib(result.rssAfter)} MiB with ${result.streams} open: **${((result.rssAfter - result.rssBefore) / result.streams / 1024).toFixed(1)} KiB per open stream**.`,
    ].join("\n");
    console.log(`\n${markdown}\n`);
    writeDocsSection("bench-realtime", markdown);
  } finally {
    await stopServer(server);
    await closeDatabase();
  }
}
