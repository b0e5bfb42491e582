/**
 * The fault tests' world: a fresh PostgreSQL database on the local server, migrated, and
 * production instances of the app on it (`npm start`, as Render runs it), each on its own port of
 * 127.0.0.1, with their JSON log lines kept for the checks. Also the local PostgreSQL server
 * itself, which scenario (d) stops and starts.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { processTree, rssOfTree } from "../bench/processes";

export const root = path.resolve(import.meta.dirname, "../..");
export const serverUrl = process.env.FAULTS_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const webhookSecret = "whsec_faults_only_secret";
/** Shared by every instance, as on a real deployment: a session made on one is valid on the others. */
export const authSecret = randomBytes(32).toString("base64");
export const cronSecret = randomBytes(24).toString("hex");
/** Each instance's pool (DATABASE_POOL_MAX); plus its one LISTEN connection, the budget per instance. */
export const poolMax = 10;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` answers something truthy (polling every `everyMs`), or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T> | T, timeoutMs: number, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A migrated database of its own, `faults_<time>`, dropped by `drop()`. */
export async function createDatabase() {
  const name = `faults_${Date.now()}_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await migrate(drizzle({ client }), { migrationsFolder: path.join(root, "drizzle") });
  // The test's own connection for its checks (a second pool would count against nothing of the app's).
  const sql = postgres(url.toString(), {
    max: 2,
    onnotice: () => {},
    connection: { application_name: "faults-checks" },
  });
  await client.end();
  return {
    name,
    url: url.toString(),
    sql,
    drop: async () => {
      await sql.end({ timeout: 2 }).catch(() => {});
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
export type Database = Awaited<ReturnType<typeof createDatabase>>;

export type LogLine = { level?: string; msg?: string; [field: string]: unknown };

/** Every instance started in this run, so a scenario that runs out of time leaves none behind. */
export const everyInstance = new Set<Instance>();

/** One production instance of the app: `npm start -- -p <port> -H 127.0.0.1`. */
export class Instance {
  readonly base: string;
  readonly logs: LogLine[] = [];
  private child: ChildProcess | null = null;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | null = null;
  exitedAt: number | null = null;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.base = `http://127.0.0.1:${port}`;
    everyInstance.add(this);
  }

  get pid() {
    return this.child?.pid;
  }

  get running() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    // Another server on the port (someone's dev server or browser tests) would take this instance's traffic.
    if (
      await fetch(this.base, { signal: AbortSignal.timeout(2_000) }).then(
        () => true,
        () => false,
      )
    )
      throw new Error(`port ${this.port} is in use: set FAULTS_PORT to a free pair of ports`);
    const child = spawn("npm", ["start", "--", "-p", String(this.port), "-H", "127.0.0.1"], {
      cwd: root,
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.exitedAt = null;
    this.exit = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        this.exitedAt = Date.now();
        resolve({ code, signal });
      }),
    );
    let partial = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith("{")) continue;
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          // Not one of the app's JSON lines.
        }
      }
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      if (process.env.FAULTS_VERBOSE) process.stderr.write(`[${this.name}] ${chunk}`);
    });
    await waitFor(
      `${this.name} to answer /api/health`,
      async () => {
        if (!this.running) throw new Error(`${this.name} exited during start-up`);
        return (await fetch(`${this.base}/api/health`).catch(() => null))?.ok;
      },
      120_000,
      250,
    );
  }

  /** The processes of this instance: npm, and the Next server it became (`exec`). */
  private tree(): number[] {
    return this.child?.pid ? processTree(this.child.pid).map((stat) => stat.pid) : [];
  }

  /** Resident memory of the instance's processes, in bytes. */
  rss(): number {
    return this.child?.pid ? rssOfTree(this.child.pid) : 0;
  }

  /** What a host does to stop an instance: SIGTERM to the process it started, which npm passes on. */
  terminate() {
    this.child?.kill("SIGTERM");
  }

  /** A crash: SIGKILL to every process of the instance at once, nothing can run after it. */
  kill9() {
    for (const pid of this.tree()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }

  /** Ends the instance whatever its state (cleanup). */
  async stop() {
    if (!this.running) return;
    this.terminate();
    const exited = await Promise.race([this.exit, sleep(40_000).then(() => null)]);
    if (!exited) this.kill9();
    await this.exit;
  }

  linesWith(msg: string): LogLine[] {
    return this.logs.filter((line) => line.msg === msg);
  }
}

/** Each instance's V8 old-space limit (MiB), as a container with 1 GiB of memory would set it. */
const HEAP_LIMIT_MIB = 512;

/** The environment every instance gets: production, the shared database and secrets, nothing reaching outside. */
export function instanceEnv(databaseUrl: string, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = `http://127.0.0.1:${port}`;
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/root",
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: String(poolMax),
    BETTER_AUTH_SECRET: authSecret,
    CRON_SECRET: cronSecret,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    APP_URL: base,
    BETTER_AUTH_URL: base,
    LOG_LEVEL: "info",
    // The limit under test is the per-sender one (10 in a minute); the ceiling for everyone stays out of its way.
    CONTACT_RATE_LIMIT: "10",
    CONTACT_RATE_WINDOW_SECONDS: "60",
    CONTACT_GLOBAL_RATE_LIMIT: "100000",
    AUTH_GLOBAL_RATE_LIMIT: "100000",
    // Empty counts as unset (lib/core/env.ts) and keeps a developer's .env.local from filling these in.
    UPSTASH_REDIS_REST_URL: "",
    UPSTASH_REDIS_REST_TOKEN: "",
    TRIGGER_SECRET_KEY: "",
    RESEND_API_KEY: "",
    STRIPE_SECRET_KEY: "",
    SENTRY_DSN: "",
    NEXT_PUBLIC_SENTRY_DSN: "",
    POSTHOG_KEY: "",
    S3_BUCKET: "",
    // The heap of an instance with 1 GiB of memory. Without a limit V8 sizes the heap from the whole machine's
    // memory (24 GiB here) and lets it grow lazily: the soak's instances went from 0.9 to 2.6 GiB
    // in ten minutes with nothing leaking, and held flat at 430 MiB under the same traffic with 400 MiB. With
    // the limit, memory a leak keeps shows as growth up to it, then as an instance that dies of it.
    NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MIB}`,
    ...extra,
  };
}

/** The local PostgreSQL cluster (Debian's pg_ctlcluster), for scenario (d). */
export const localPostgres = {
  version: () => readdirSync("/etc/postgresql").sort().at(-1)!,
  run(action: "stop" | "start") {
    execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", this.version(), "main", action], { stdio: "ignore" });
  },
  async accepting(): Promise<boolean> {
    const probe = postgres(serverUrl, { max: 1, connect_timeout: 1, onnotice: () => {} });
    try {
      await probe`select 1`;
      return true;
    } catch {
      return false;
    } finally {
      await probe.end({ timeout: 1 }).catch(() => {});
    }
  },
};
