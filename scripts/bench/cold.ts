/**
 * `npm run bench -- --cold`: what a Vercel function's cold start costs, against a bare Next app's.
 *
 * Builds the project and the bare app (bench/floor) with the pinned Vercel CLI, offline
 * (scripts/vercel-build-check.ts), lays each measured function out in a folder of its own as Vercel
 * deploys it (the files its .vc-config.json lists, nothing else), then, BENCH_COLD_RUNS (6) times per
 * route, spawns a fresh Node process that loads the function's launcher and answers one request: the
 * time from spawn to the response's first bytes, and the files Node loaded to get there. The project's
 * functions run as on Vercel (VERCEL=1, on DATABASE_URL's PostgreSQL, migrated and seeded). The table goes
 * into docs/benchmarks.md. `--no-build` reuses both builds; `--cpu-prof` writes a V8 CPU profile of
 * each run to .bench-profiles/cold/.
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { measureFunctions, megabytes, vercelBuild, VERCEL_CLI } from "../vercel-build-check";
import { machineLine, nextVersion, writeDocsSection } from "./markdown";
import { contactBody, signedStripeEvent } from "./requests";
import { prepareServerEnv } from "./server";
import { floorDir, root, webhookSecret } from "./settings";

const runs = Number(process.env.BENCH_COLD_RUNS ?? 6);
/** Where the bare app is built as an app of its own (Vercel's builder wants the app at the tracing root). */
export const floorApp = path.join(os.tmpdir(), "recipe-box-floor-vercel");

type Target = {
  label: string;
  app: "project" | "floor";
  /** The route's entry under .vercel/output/functions (the function that serves it). */
  fn: string;
  kind: "api" | "page";
  request: (cookie: string) => { path: string; method?: string; headers?: Record<string, string>; body?: string };
  signedIn?: boolean;
  /** Before each run: the AI draft gives back the demo user's daily quota, so each run streams a draft. */
  before?: (sql: postgres.Sql) => Promise<unknown>;
};

const TARGETS: Target[] = [
  { label: "bare GET /api/live", app: "floor", fn: "api/live", kind: "api", request: () => ({ path: "/api/live" }) },
  {
    label: "bare GET /dynamic (page)",
    app: "floor",
    fn: "dynamic",
    kind: "page",
    request: () => ({ path: "/dynamic" }),
  },
  {
    label: "POST /api/webhooks/stripe",
    app: "project",
    fn: "api/webhooks/stripe",
    kind: "api",
    request: () => {
      const { payload, signature } = signedStripeEvent();
      return {
        path: "/api/webhooks/stripe",
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signature },
        body: payload,
      };
    },
  },
  {
    label: "POST /api/contact",
    app: "project",
    fn: "api/contact",
    kind: "api",
    request: () => ({
      path: "/api/contact",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: contactBody,
    }),
  },
  { label: "GET /api/health", app: "project", fn: "api/health", kind: "api", request: () => ({ path: "/api/health" }) },
  {
    label: "GET /dashboard (signed in)",
    app: "project",
    fn: "dashboard/[[...rest]]",
    kind: "page",
    signedIn: true,
    request: (cookie) => ({ path: "/dashboard", headers: { cookie } }),
  },
  {
    label: "POST /api/ai/draft-recipe",
    app: "project",
    fn: "api/ai/draft-recipe",
    kind: "api",
    signedIn: true,
    before: (sql) => sql`delete from ai_generations`,
    request: (cookie) => ({
      path: "/api/ai/draft-recipe",
      method: "POST",
      headers: { cookie, "content-type": "application/json", origin: "http://127.0.0.1" },
      body: JSON.stringify({ idea: "a quick tomato soup" }),
    }),
  },
  {
    label: "GET /api/events (stream)",
    app: "project",
    fn: "api/events",
    kind: "api",
    signedIn: true,
    request: (cookie) => ({ path: "/api/events", headers: { cookie } }),
  },
];

/** A bare Next app of its own: bench/floor's routes, the repository's next and react (hard links), no config. */
export function prepareFloorApp() {
  rmSync(floorApp, { recursive: true, force: true });
  mkdirSync(floorApp, { recursive: true });
  for (const entry of ["app", "db.js", "instrumentation.js"])
    cpSync(path.join(floorDir, entry), path.join(floorApp, entry), { recursive: true });
  const version = (name: string) =>
    (JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")) as { version: string })
      .version;
  writeFileSync(
    path.join(floorApp, "package.json"),
    JSON.stringify(
      {
        private: true,
        dependencies: Object.fromEntries(["next", "react", "react-dom", "postgres"].map((n) => [n, version(n)])),
      },
      null,
      2,
    ),
  );
  // Hard links: Turbopack refuses a node_modules symlinked from outside the app.
  linkTree(path.join(root, "node_modules"), path.join(floorApp, "node_modules"));
}

function linkTree(from: string, to: string) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) cpSync(source, target, { verbatimSymlinks: true });
    else linkFile(source, target);
  }
}

function linkFile(source: string, target: string) {
  mkdirSync(path.dirname(target), { recursive: true });
  try {
    linkSync(source, target);
  } catch {
    copyFileSync(source, target);
  }
}

/** The function as Vercel deploys it: its own files and the ones its .vc-config.json lists, in a fresh folder. */
function layOut(appDir: string, fn: string): string {
  const funcDir = realpathSync(path.join(appDir, ".vercel", "output", "functions", `${fn}.func`));
  const dest = path.join(
    os.tmpdir(),
    "recipe-box-cold",
    path.basename(appDir),
    path.relative(path.join(appDir, ".vercel", "output", "functions"), funcDir),
  );
  if (existsSync(path.join(dest, "___next_launcher.cjs"))) return dest;
  rmSync(dest, { recursive: true, force: true });
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else linkFile(full, path.join(dest, path.relative(funcDir, full)));
    }
  };
  walk(funcDir);
  const config = JSON.parse(readFileSync(path.join(funcDir, ".vc-config.json"), "utf8")) as {
    filePathMap?: Record<string, string>;
  };
  for (const [inFunction, source] of Object.entries(config.filePathMap ?? {})) {
    const full = path.resolve(appDir, source);
    if (!existsSync(full)) continue;
    const target = path.join(dest, inFunction);
    // Turbopack reaches external packages through symlinks in .next/node_modules (name-hash → the package).
    if (lstatSync(full).isSymbolicLink()) {
      mkdirSync(path.dirname(target), { recursive: true });
      symlinkSync(readlinkSync(full), target);
    } else if (statSync(full).isFile()) linkFile(full, target);
  }
  return dest;
}

type Sample = { ms: number; status: number; loaded: number; packages: [string, number][] };

/** One fresh process: spawn → listening → one request → its first bytes. */
async function coldStart(
  funcDir: string,
  env: NodeJS.ProcessEnv,
  target: Target,
  cookie: string,
  profileDir?: string,
): Promise<Sample> {
  const started = performance.now();
  const child = fork(path.join(import.meta.dirname, "cold-child.mjs"), [funcDir], {
    cwd: funcDir,
    env,
    execArgv: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const messages: Record<string, unknown>[] = [];
  let notify = () => {};
  child.on("message", (message) => {
    messages.push(message as Record<string, unknown>);
    notify();
  });
  const deadline = Date.now() + 120_000;
  const next = async (key: string) => {
    for (;;) {
      if (Date.now() > deadline) throw new Error(`${target.label}: no answer from the function within 120 s`);
      const found = messages.find((message) => key in message);
      if (found) return found;
      if (child.exitCode !== null)
        throw new Error(`${target.label}: the function's process exited (${child.exitCode})`);
      await new Promise<void>((resolve) => {
        notify = resolve;
        setTimeout(resolve, 200);
      });
    }
  };
  try {
    const { port } = (await next("port")) as { port: number };
    const { path: url, method = "GET", headers = {}, body } = target.request(cookie);
    const response = await fetch(`http://127.0.0.1:${port}${url}`, {
      method,
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(120_000),
    });
    const reader = response.body?.getReader();
    await reader?.read();
    const ms = performance.now() - started;
    await reader?.cancel();
    const { loaded, packages } = (await next("loaded")) as { loaded: number; packages: [string, number][] };
    return { ms, status: response.status, loaded, packages };
  } finally {
    child.kill(profileDir ? "SIGINT" : "SIGKILL");
    if (profileDir) await new Promise((resolve) => child.once("exit", resolve));
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Signs in as the seeded demo user through the project's auth function (a warm-up process, not measured). */
async function signInCookie(appDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const funcDir = layOut(appDir, "api/auth/[...all]");
  const child = fork(path.join(import.meta.dirname, "cold-child.mjs"), [funcDir], {
    cwd: funcDir,
    env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.on("message", (message) => "port" in (message as object) && resolve((message as { port: number }).port));
      child.once("exit", (code) => reject(new Error(`the auth function exited (${code})`)));
    });
    const origin = `http://127.0.0.1:${port}`;
    const response = await fetch(`${origin}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: env.APP_URL! },
      body: JSON.stringify({ email: "demo@example.com", password: "demo-password" }),
    });
    if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
    return response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(";")[0])
      .join("; ");
  } finally {
    child.kill("SIGKILL");
  }
}

export async function benchCold({
  build,
  cpuProfile,
  projectDir = root,
}: {
  build: boolean;
  cpuProfile: boolean;
  /** Another checkout's `.vercel/output` (built with --no-build or beforehand), e.g. the commit before a change. */
  projectDir?: string;
}) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    throw new Error("--cold runs the project's functions as on Vercel, on PostgreSQL: set DATABASE_URL");
  if (build) {
    await vercelBuild(projectDir);
    prepareFloorApp();
    await vercelBuild(floorApp);
  }
  rmSync(path.join(os.tmpdir(), "recipe-box-cold"), { recursive: true, force: true });

  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-cold-"));
  const appUrl = "http://127.0.0.1:3000";
  const prepared = await prepareServerEnv(databaseUrl, dataDir, { APP_URL: appUrl, BETTER_AUTH_URL: appUrl });
  // What a deployed function gets: the platform's variables and the project's settings, nothing of this shell.
  const projectEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    VERCEL: "1",
    VERCEL_ENV: "production",
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: prepared.BETTER_AUTH_SECRET,
    APP_URL: appUrl,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    CRON_SECRET: randomBytes(16).toString("hex"),
    CONTACT_RATE_LIMIT: "100000000",
    CONTACT_GLOBAL_RATE_LIMIT: "100000000",
    AI_BURST_LIMIT: "100000000",
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const floorEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    VERCEL: "1",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const sizes = new Map([
    ...measureFunctions(projectDir).flatMap((fn) => fn.routes.map((route) => [`project:${route}`, fn] as const)),
    ...measureFunctions(floorApp).flatMap((fn) => fn.routes.map((route) => [`floor:${route}`, fn] as const)),
  ]);
  const cookie = await signInCookie(projectDir, projectEnv);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });

  const rows: {
    target: Target;
    ms: number;
    status: number;
    loaded: number;
    mb: number;
    fnName: string;
    top: string;
  }[] = [];
  for (const target of TARGETS) {
    const appDir = target.app === "project" ? projectDir : floorApp;
    const funcDir = layOut(appDir, target.fn);
    const profileDir = cpuProfile
      ? path.join(root, ".bench-profiles", "cold", target.fn.replace(/\W+/g, "-"))
      : undefined;
    const samples: Sample[] = [];
    for (let run = 0; run < runs; run++) {
      await target.before?.(sql);
      samples.push(
        await coldStart(funcDir, target.app === "project" ? projectEnv : floorEnv, target, cookie, profileDir),
      );
    }
    const fn = sizes.get(`${target.app}:${target.fn}`);
    const last = samples.at(-1)!;
    const row = {
      target,
      ms: median(samples.map((sample) => sample.ms)),
      status: last.status,
      loaded: median(samples.map((sample) => sample.loaded)),
      mb: fn ? fn.bytes / 1e6 : 0,
      fnName: fn?.name ?? target.fn,
      top: last.packages
        .slice(0, 4)
        .map(([name, count]) => `${name} ${count}`)
        .join(", "),
    };
    rows.push(row);
    console.log(
      `  ${target.label.padEnd(30)} ${row.ms.toFixed(0).padStart(6)} ms  ${String(row.loaded).padStart(5)} files  ${megabytes(fn?.bytes ?? 0)} MB  (${samples.map((s) => s.ms.toFixed(0)).join(", ")})  HTTP ${row.status}`,
    );
  }
  rmSync(dataDir, { recursive: true, force: true });
  await sql.end();

  const floorMs = (kind: Target["kind"]) =>
    rows.find((row) => row.target.app === "floor" && row.target.kind === kind)!.ms;
  const lines = [
    `Median of ${runs} fresh processes per route: spawn → the function's launcher loaded → one request → its first bytes. ${machineLine(`${VERCEL_CLI} build, Next ${nextVersion()}`)}`,
    "",
    "| route | function (MB) | cold start | × bare | target | files loaded | most files from |",
    "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ...rows.map(({ target, ms, loaded, mb, fnName, status, top }) => {
      const ratio = target.app === "floor" ? "1.00" : (ms / floorMs(target.kind)).toFixed(2);
      const goal = target.app === "floor" ? "" : target.kind === "api" ? "≤ 1.5" : "≤ 2";
      return `| \`${target.label}\` (${status}) | ${fnName} (${mb.toFixed(1)}) | ${ms.toFixed(0)} ms | ${ratio} | ${goal} | ${loaded} | ${top} |`;
    }),
  ];
  // A profiled run is slower: its figures are not the table's.
  if (projectDir === root && !cpuProfile) writeDocsSection("bench-cold", lines.join("\n"));
  else console.log(`\n${lines.join("\n")}`);
}
