import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { machineLine, postgresVersion, writeDocsSection } from "./markdown";
import { root } from "./settings";

/**
 * Outbound webhooks, in the benchmark's process (no server): how many deliveries per second the
 * app's own delivery makes to 100 local endpoints (signing, the POST, recording each try), and how
 * much a dead endpoint (one that never answers) delays a healthy one's deliveries: the healthy
 * endpoint's latency (commit → arrival) alone, then beside the dead one. On DATABASE_URL's
 * PostgreSQL, else an embedded database in a temporary directory.
 */
const ENDPOINTS = 100;
const PER_TEAM = 20;
const MESSAGES = Number(process.env.BENCH_WEBHOOK_MESSAGES ?? 50);
const LATENCY_MESSAGES = 40;

type Receivers = { ports: number[]; hanging: number | null; control: number; stop: () => void };

async function startReceivers(count: number, hanging: boolean): Promise<Receivers> {
  const child = spawn(process.execPath, [path.join(root, "scripts/bench/webhook-receivers.mjs")], {
    env: { ...process.env, RECEIVERS: String(count), HANGING: hanging ? "1" : "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve) => child.stdout!.once("data", (chunk) => resolve(String(chunk))));
  return { ...(JSON.parse(line) as Omit<Receivers, "stop">), stop: () => child.kill("SIGKILL") };
}

async function arrivals(control: number): Promise<[number, string, number][]> {
  const answer = await fetch(`http://127.0.0.1:${control}/stats`);
  return ((await answer.json()) as { arrivals: [number, string, number][] }).arrivals;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

export async function benchWebhooks() {
  process.env.LOG_LEVEL = "error";
  process.env.WEBHOOKS_ALLOW_PRIVATE_URLS = "1";
  process.env.TRIGGER_SECRET_KEY = "";
  process.env.SVIX_API_KEY = "";
  if (!process.env.DATABASE_URL)
    process.env.PGLITE_DATA_DIR = path.join(mkdtempSync(path.join(os.tmpdir(), "bench-webhooks-")), "pglite");
  const { db, schema, transaction } = await import("@/lib/db");
  const { createEndpoint, ENDPOINT_MAX_IN_FLIGHT, recordWebhookMessage } = await import("@/lib/webhooks-out");
  const { eq, and, count } = await import("drizzle-orm");
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  const database = process.env.DATABASE_URL
    ? `PostgreSQL ${await postgresVersion()}`
    : "the embedded database (PGlite)";
  console.log(`\n# outbound webhooks: ${ENDPOINTS} local endpoints, ${database}`);

  async function team(urls: string[]) {
    const id = randomUUID();
    await db.insert(schema.organization).values({ id, name: "Bench", slug: `bench-${id}` });
    for (const url of urls) await createEndpoint(db, { teamId: id }, { url, description: "", event_types: null });
    return id;
  }
  /** Commits one message per team `times` times (as changes would); returns each message's commit time. */
  async function announce(teams: string[], times: number) {
    const committed = new Map<string, number>();
    for (let i = 0; i < times; i++)
      for (const teamId of teams) {
        const id = await transaction(db, (tx, afterCommit) =>
          recordWebhookMessage(tx, afterCommit, teamId, "member.added", {
            team_id: teamId,
            user_id: `u_${i}`,
            name: "Bench Cook",
            email: null,
            role: "member",
          }),
        );
        committed.set(id!, Date.now());
      }
    return committed;
  }
  async function succeeded(teams: string[]) {
    let total = 0;
    for (const teamId of teams) {
      const [row] = await db
        .select({ n: count() })
        .from(schema.webhookAttempts)
        .innerJoin(schema.webhookMessages, eq(schema.webhookMessages.id, schema.webhookAttempts.messageId))
        .where(and(eq(schema.webhookMessages.organizationId, teamId), eq(schema.webhookAttempts.status, "succeeded")));
      total += row?.n ?? 0;
    }
    return total;
  }
  async function until(done: () => Promise<boolean>, limitMs: number) {
    const deadline = Date.now() + limitMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error("the benchmark's deliveries did not finish in time");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  // 1. Throughput: MESSAGES changes in each of 5 teams of 20 endpoints = MESSAGES × 100 deliveries.
  const wide = await startReceivers(ENDPOINTS, false);
  const urls = wide.ports.map((port) => `http://127.0.0.1:${port}/hooks`);
  const teams: string[] = [];
  for (let i = 0; i < ENDPOINTS; i += PER_TEAM) teams.push(await team(urls.slice(i, i + PER_TEAM)));
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await announce(teams, MESSAGES);
  const expected = MESSAGES * ENDPOINTS;
  await until(async () => (await succeeded(teams)) >= expected, 600_000);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const received = (await arrivals(wide.control)).length;
  wide.stop();
  const perSecond = expected / seconds;
  console.log(`${expected} deliveries in ${seconds.toFixed(1)} s: ${perSecond.toFixed(0)}/s (${received} arrived)`);

  // 2. Isolation: one healthy endpoint's latency alone, then beside a dead one (in another team each time).
  async function healthyLatency(withDead: boolean) {
    const receivers = await startReceivers(1, withDead);
    const healthyUrl = `http://127.0.0.1:${receivers.ports[0]}/hooks`;
    const endpoints = withDead ? [`http://127.0.0.1:${receivers.hanging}/hooks`, healthyUrl] : [healthyUrl];
    const teamId = await team(endpoints);
    const committed = await announce([teamId], LATENCY_MESSAGES);
    await until(async () => (await arrivals(receivers.control)).length >= LATENCY_MESSAGES, 120_000);
    const latencies = (await arrivals(receivers.control)).map(([, id, at]) => at - committed.get(id)!);
    receivers.stop();
    return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies) };
  }
  const alone = await healthyLatency(false);
  const besideDead = await healthyLatency(true);
  console.log(
    `healthy endpoint alone: p50 ${alone.p50} ms, p95 ${alone.p95} ms; beside a dead one: p50 ${besideDead.p50} ms, p95 ${besideDead.p95} ms`,
  );

  const markdown = [
    `Machine: ${machineLine("100 receivers in a process of their own")} ${database}; load average ${loadBefore} when the run began.`,
    "",
    "| what | result |",
    "| --- | ---: |",
    `| deliveries to ${ENDPOINTS} local endpoints (${MESSAGES} changes × ${ENDPOINTS}, each signed, POSTed and recorded) | **${perSecond.toFixed(0)}/s** (${seconds.toFixed(1)} s, ${((cpu.user + cpu.system) / 1000 / expected).toFixed(2)} Node CPU ms each) |`,
    `| a healthy endpoint's latency, commit → arrival, ${LATENCY_MESSAGES} changes, alone | p50 ${alone.p50} ms, p95 ${alone.p95} ms, max ${alone.max} ms |`,
    `| the same beside a dead endpoint (never answers; 15 s timeout, ${ENDPOINT_MAX_IN_FLIGHT} tries in flight at most) | p50 ${besideDead.p50} ms, p95 ${besideDead.p95} ms, max ${besideDead.max} ms |`,
    `| delay the dead endpoint adds to the healthy one (beside minus alone; run-to-run noise is tens of ms) | p50 ${besideDead.p50 - alone.p50} ms, p95 ${besideDead.p95 - alone.p95} ms |`,
  ].join("\n");
  console.log(`\n${markdown}\n`);
  writeDocsSection("bench-webhooks", markdown);
  // The dead endpoint's tries are still queued behind their timeouts: stop here rather than wait for them.
  process.exit(0);
}
