import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { machineLine, postgresVersion, writeDocsSection } from "./markdown";

/**
 * What the audit write costs the recipe-create path, in the benchmark's process (no server):
 * BENCH_AUDIT_CALLS (300) `createRecipe` calls with their `recordAudit`, and as many with it
 * switched off, alternating blocks (with, without, without, with) so drift on a shared machine
 * falls on both. Per call: wall ms, and this process's CPU ms (`process.cpuUsage`: on the embedded
 * database that includes the database; on PostgreSQL, the server's own CPU is not in it).
 */
const CALLS = Number(process.env.BENCH_AUDIT_CALLS ?? 300);
const WARMUP = 30;

export async function benchAudit() {
  process.env.LOG_LEVEL = "error";
  process.env.TRIGGER_SECRET_KEY = "";
  if (!process.env.DATABASE_URL)
    process.env.PGLITE_DATA_DIR = path.join(mkdtempSync(path.join(os.tmpdir(), "bench-audit-")), "pglite");
  const { db, schema } = await import("@/lib/db");
  const { createRecipe } = await import("@/lib/recipes");
  const { createTeam } = await import("@/lib/teams");
  const { withoutAuditForBenchmark } = await import("@/lib/audit/record");
  const database = process.env.DATABASE_URL
    ? `PostgreSQL ${await postgresVersion()}`
    : "the embedded database (PGlite, in this process)";
  console.log(`\n# the audit write on the recipe-create path: ${CALLS} calls each way, ${database}`);

  const userId = randomUUID();
  await db.insert(schema.user).values({ id: userId, name: "Bench Cook", email: `bench-${userId}@example.test` });
  const team = await createTeam(db, { name: "Bench Kitchen", ownerId: userId });
  // Pro: no recipe limit.
  await db.insert(schema.subscriptions).values({
    id: `sub_bench_${team.id}`,
    organizationId: team.id,
    customerId: `cus_bench_${team.id}`,
    status: "active",
    lastEventAt: new Date(),
  });
  const actor = { teamId: team.id, userId };
  const input = { title: "Bench soup", description: "", ingredients: ["water"], steps: ["Boil."] };
  const once = () => createRecipe(db, actor, input);

  async function block(withAudit: boolean, calls: number) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < calls; i++) await (withAudit ? once() : withoutAuditForBenchmark(once));
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  }

  await block(true, WARMUP);
  await block(false, WARMUP);
  const half = Math.floor(CALLS / 2);
  const totals = { with: { wallMs: 0, cpuMs: 0 }, without: { wallMs: 0, cpuMs: 0 } };
  for (const [arm, calls] of [
    ["with", half],
    ["without", half],
    ["without", CALLS - half],
    ["with", CALLS - half],
  ] as const) {
    const result = await block(arm === "with", calls);
    totals[arm].wallMs += result.wallMs;
    totals[arm].cpuMs += result.cpuMs;
  }
  const per = (arm: "with" | "without", key: "wallMs" | "cpuMs") => totals[arm][key] / CALLS;
  const rows = [
    ["without the audit write", per("without", "wallMs"), per("without", "cpuMs")],
    ["with the audit write", per("with", "wallMs"), per("with", "cpuMs")],
  ] as const;
  const ratio = (key: "wallMs" | "cpuMs") => per("with", key) / per("without", key);
  const markdown = [
    `Machine: ${machineLine(`${CALLS} createRecipe calls each way in one process`)} ${database}.`,
    "",
    "| createRecipe | wall ms per call | CPU ms per call (this process) |",
    "| --- | ---: | ---: |",
    ...rows.map(([name, wall, cpu]) => `| ${name} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} |`),
    `| ratio (with ÷ without) | ${ratio("wallMs").toFixed(2)} | ${ratio("cpuMs").toFixed(2)} |`,
  ].join("\n");
  console.log(markdown);
  writeDocsSection(process.env.DATABASE_URL ? "bench-audit-postgres" : "bench-audit-embedded", markdown);
  const { closeDatabase } = await import("@/lib/db");
  await closeDatabase();
}
