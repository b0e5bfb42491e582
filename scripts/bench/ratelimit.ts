/**
 * `npm run bench -- --ratelimit`: what one rate-limit check costs when the counts live in
 * PostgreSQL (every instance sharing them) instead of this process's memory. The app's own
 * limiter (`createRateLimiter`) runs in the benchmark's process against a fresh migrated
 * database beside DATABASE_URL's, as a server instance would run it: a pool of its own, prepared
 * statements. Each row is a fixed number of checks, sent one at a time or 16 at once, on a new
 * key each time (a per-sender limit) or on one key (a global ceiling, every request updating one
 * row). CPU comes from /proc: this process (the Node side), and the Postgres backends serving the
 * pool (found by application_name), so other work on the machine does not count.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { freshDatabase } from "./database";
import { machineLine, postgresVersion, writeDocsSection } from "./markdown";

const APPLICATION_NAME = "bench-ratelimit";

type Scenario = { label: string; store: "memory" | "postgres"; concurrency: number; hotKey: boolean };
type Measured = Scenario & {
  checks: number;
  checksPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  nodeCpuUsPerCheck: number;
  postgresCpuUsPerCheck: number | null;
  allowed: number;
};

const scenarios: Scenario[] = [
  { label: "memory, one at a time, a new key each", store: "memory", concurrency: 1, hotKey: false },
  { label: "PostgreSQL, one at a time, a new key each", store: "postgres", concurrency: 1, hotKey: false },
  { label: "PostgreSQL, 16 at once, a new key each", store: "postgres", concurrency: 16, hotKey: false },
  { label: "PostgreSQL, 16 at once, one key (a global ceiling)", store: "postgres", concurrency: 16, hotKey: true },
];

export async function benchRateLimit() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("--ratelimit measures the PostgreSQL limiter: set DATABASE_URL");
  const checks = Number(process.env.BENCH_RATELIMIT_CHECKS ?? 20_000);
  process.env.LOG_LEVEL = "error";
  const { url } = await freshDatabase(databaseUrl, "ratelimit_bench");
  // The app's own modules, imported only now: lib/core/env.ts reads LOG_LEVEL at import.
  const { createRateLimiter } = await import("@/lib/ratelimit");
  const { createPostgresDatabase } = await import("@/lib/db");
  const pool = createPostgresDatabase(url, {
    max: 16,
    idle_timeout: 0,
    connection: { application_name: APPLICATION_NAME },
  });
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  console.log(`\n# ratelimit: ${checks} checks per row`);

  const results: Measured[] = [];
  for (const scenario of scenarios) {
    const limiter = createRateLimiter({
      name: `bench-${scenario.label}`,
      // Every check is allowed: a refusal costs the same statement, and the count keeps going either way.
      limit: 1_000_000_000,
      windowSeconds: 3600,
      ...(scenario.store === "postgres" ? { postgres: pool.db } : {}),
    });
    const check = (i: number) => limiter.limit(scenario.hotKey ? "all" : `sender:${i}@example.test`);
    // Warm-up: connections opened, statements prepared, the JIT warm.
    await runChecks(check, 2_000, scenario.concurrency, 1_000_000);
    const backends = scenario.store === "postgres" ? await backendPids(pool.db) : [];
    const postgresBefore = backendCpuMicroseconds(backends);
    const nodeBefore = process.cpuUsage();
    const started = performance.now();
    const { latencies, allowed } = await runChecks(check, checks, scenario.concurrency, 0);
    const seconds = (performance.now() - started) / 1000;
    const node = process.cpuUsage(nodeBefore);
    latencies.sort((a, b) => a - b);
    const result: Measured = {
      ...scenario,
      checks,
      checksPerSecond: checks / seconds,
      p50Ms: latencies[Math.floor(latencies.length * 0.5)]!,
      p99Ms: latencies[Math.floor(latencies.length * 0.99)]!,
      nodeCpuUsPerCheck: (node.user + node.system) / checks,
      postgresCpuUsPerCheck: backends.length ? (backendCpuMicroseconds(backends) - postgresBefore) / checks : null,
      allowed,
    };
    results.push(result);
    console.log(
      `${scenario.label}: ${result.checksPerSecond.toFixed(0)} checks/s, p50 ${result.p50Ms.toFixed(2)} ms, ` +
        `p99 ${result.p99Ms.toFixed(2)} ms, Node ${result.nodeCpuUsPerCheck.toFixed(0)} µs/check, ` +
        `Postgres ${result.postgresCpuUsPerCheck?.toFixed(0) ?? "-"} µs/check`,
    );
  }
  await pool.close();

  const markdown = [
    `Machine: ${machineLine(`${checks.toLocaleString("en")} checks per row, the limiter in the benchmark's process`)} PostgreSQL ${await postgresVersion()} on the same machine; load average ${loadBefore} when the run began.`,
    "",
    "| store, checks at once, keys | checks/s | p50 ms | p99 ms | Node CPU µs/check | Postgres CPU µs/check | allowed |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...results.map(
      (r) =>
        `| ${r.label} | ${r.checksPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.nodeCpuUsPerCheck.toFixed(0)} | ${r.postgresCpuUsPerCheck === null ? "" : r.postgresCpuUsPerCheck.toFixed(0)} | ${r.allowed} |`,
    ),
  ].join("\n");
  console.log(`\n${markdown}\n`);
  writeDocsSection("bench-ratelimit", markdown);
}

/** `total` checks, `concurrency` in flight at a time, numbered from `offset` (the key of each); their latencies. */
async function runChecks(
  check: (i: number) => Promise<{ success: boolean }>,
  total: number,
  concurrency: number,
  offset: number,
) {
  const latencies: number[] = [];
  let next = 0;
  let allowed = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const started = performance.now();
      if ((await check(offset + i)).success) allowed++;
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, allowed };
}

/** The Postgres backends serving the benchmark's pool: every connection it opened. */
async function backendPids(db: { execute(query: unknown): Promise<unknown> }): Promise<number[]> {
  const { sql } = await import("drizzle-orm");
  const rows = (await db.execute(
    sql`select pid from pg_stat_activity where application_name = ${APPLICATION_NAME}`,
  )) as unknown as { pid: number }[];
  return rows.map((row) => row.pid);
}

/** CPU time (user + system) of these processes so far, in µs, from /proc (the server runs on this machine). */
export function backendCpuMicroseconds(pids: number[]): number {
  return pids.reduce((sum, pid) => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      return sum + (Number(fields[11]) + Number(fields[12])) * 10_000;
    } catch {
      return sum;
    }
  }, 0);
}
