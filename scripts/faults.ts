/**
 * `npm run test:faults`: the app as several production instances on one PostgreSQL, and the
 * faults they meet (docs/scaling.md). Each scenario gets a fresh migrated database on the local
 * server and its own `npm start` instances on 127.0.0.1, is bounded in time, and fails the run
 * with what it saw. Nothing is sent anywhere but 127.0.0.1.
 */
import "./load-env";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createDatabase, everyInstance, localPostgres, root, type Database } from "./faults/cluster";
import { run } from "./bench/processes";

const USAGE = `npm run test:faults [-- options]

  (no option)          build (unless FAULTS_SKIP_BUILD=1 and a build exists), then every scenario:
                       a  two instances: one rate limit, a stream hears the other instance, a
                          webhook burst split across both processed once
                       b  SIGTERM to one instance during a burst of 500 signed webhooks (twice:
                          the default drain deadline, then one too short for the work)
                       c  kill -9 of one instance during a burst of 500 signed webhooks
                       d  PostgreSQL stopped and started under mixed traffic
                       e  a soak of mixed traffic: memory and connections flat
  --only=a,b,...       only these scenarios
  --soak-seconds=N     the soak's length (FAULTS_SOAK_SECONDS, 600)
  --docs               write the figures into docs/scaling.md
  --help               this text

Environment: FAULTS_PORT (39400; instances on it and the next), FAULTS_POSTGRES_URL (the
local server's maintenance database), FAULTS_OUTAGE_SECONDS (8), FAULTS_VERBOSE=1 (the
instances' stderr).`;

/** Each scenario's bound: a hang fails the run instead of holding CI. */
const SCENARIO_MINUTES: Record<string, number> = { a: 5, b: 8, c: 6, d: 6 };

async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--help")) return console.log(USAGE);
  const only = args
    .find((arg) => arg.startsWith("--only="))
    ?.slice("--only=".length)
    .split(",");
  const scenarios = ["a", "b", "c", "d", "e"].filter((name) => !only || only.includes(name));
  const soakSeconds = Number(
    args.find((arg) => arg.startsWith("--soak-seconds="))?.slice("--soak-seconds=".length) ??
      process.env.FAULTS_SOAK_SECONDS ??
      600,
  );
  // Far from the ports the dev server, the browser tests and the benchmark use, which may run beside this.
  const port = Number(process.env.FAULTS_PORT ?? 39400);
  const ports: [number, number] = [port, port + 1];

  if (!(await localPostgres.accepting()))
    throw new Error("the fault tests need the local PostgreSQL on 127.0.0.1:5432");
  if (process.env.FAULTS_SKIP_BUILD !== "1" || !existsSync(path.join(root, ".next", "BUILD_ID")))
    await run("npm", ["run", "build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });

  // Imported after the build: they load the app's modules (lib/core/env.ts reads the environment at import).
  const { twoInstances } = await import("./faults/two-instances");
  const { stopMidBurst } = await import("./faults/stop-mid-burst");
  const { postgresRestart } = await import("./faults/postgres-restart");
  const { soak } = await import("./faults/soak");
  const runs: Record<string, (db: Database) => Promise<unknown>> = {
    a: (db) => twoInstances(db, ports),
    b: async (db) => ({
      deadline25s: await stopMidBurst(db, ports, "sigterm"),
      // A deadline too short for the work: what is queued or running then is given back to the sweeper.
      deadline1s: await stopMidBurst(db, ports, "sigterm", {
        settings: { SHUTDOWN_DRAIN_SECONDS: "1", JOB_CONCURRENCY: "1" },
      }),
    }),
    c: (db) => stopMidBurst(db, ports, "kill9"),
    d: (db) => postgresRestart(db, ports),
    e: (db) => soak(db, ports, soakSeconds),
  };

  const results: Record<string, unknown> = {};
  const failures: string[] = [];
  for (const name of scenarios) {
    const minutes = SCENARIO_MINUTES[name] ?? Math.ceil(soakSeconds / 60) + 6;
    console.log(`\n=== fault scenario ${name} (at most ${minutes} min) ===`);
    const db = await createDatabase();
    const started = Date.now();
    try {
      results[name] = await bounded(runs[name]!(db), minutes * 60_000, name);
      console.log(JSON.stringify(results[name], null, 2));
      console.log(`scenario ${name} passed in ${Math.round((Date.now() - started) / 1000)} s`);
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      console.error(`scenario ${name} FAILED: ${error instanceof Error ? error.stack : error}`);
      keepLogs(name);
      // A scenario that ran out of time still has its instances: stop them before the next one takes the ports.
      await Promise.all([...everyInstance].map((instance) => instance.stop()));
    } finally {
      everyInstance.clear();
      await db.drop();
    }
  }

  if (args.includes("--docs") && !failures.length) await writeFigures(results);
  if (failures.length) {
    console.error(`\n${failures.length} fault scenario(s) failed:\n${failures.join("\n")}`);
    process.exit(1);
  }
  console.log(`\nall ${scenarios.length} fault scenarios passed`);
  // The instances are stopped and the databases dropped; nothing else should keep the process alive.
  process.exit(0);
}

/** Every instance's log of a failed scenario, for reading afterwards: test-results/faults/<scenario>-<instance>.log. */
function keepLogs(scenario: string) {
  const dir = path.join(root, "test-results", "faults");
  mkdirSync(dir, { recursive: true });
  for (const instance of everyInstance) {
    const file = path.join(dir, `${scenario}-${instance.name}-${instance.port}.log`);
    appendFileSync(file, instance.logs.map((line) => JSON.stringify(line)).join("\n") + "\n");
    console.error(`  ${instance.name}'s log: ${path.relative(root, file)}`);
  }
}

function bounded<T>(work: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`scenario ${name} took longer than ${ms / 60_000} min`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The figures as a table between `<!-- faults:start -->` and `<!-- faults:end -->` in docs/scaling.md. */
async function writeFigures(results: Record<string, unknown>) {
  const { figuresMarkdown } = await import("./faults/report");
  const file = path.join(root, "docs", "scaling.md");
  const text = readFileSync(file, "utf8");
  const [start, end] = ["<!-- faults:start -->", "<!-- faults:end -->"];
  if (!text.includes(start) || !text.includes(end)) return;
  const figures = figuresMarkdown(results);
  writeFileSync(
    file,
    `${text.slice(0, text.indexOf(start) + start.length)}\n${figures}\n${text.slice(text.indexOf(end))}`,
  );
  console.log(`${figures}\n\ndocs/scaling.md updated (faults).`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
