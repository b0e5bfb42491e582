/**
 * `npm run check:vercel`: the Vercel build a first deploy runs, offline, and what its functions carry.
 *
 * Runs the pinned Vercel CLI's `vercel build` (no login, no network but the npm registry for the CLI
 * itself: a local `.vercel/project.json` names a placeholder project) with no DATABASE_URL and no
 * provider key, as a first "Deploy" before the database is connected does. Then it walks
 * `.vercel/output/functions`, and fails when:
 * - a function (the files it lists, its traced node_modules included) is over FUNCTION_BUDGET_MB;
 * - a function carries a package no deployed function runs (PGlite, the local S3 server, Prettier);
 * - `.vercel/output/config.json` lacks a cron of vercel.json.
 *
 * Options: `--no-build` checks the existing `.vercel/output`; `--dir=<app>` builds and measures another
 * app (bench/floor, the bare app the budget is set against); `--no-limits` only reports.
 */
import { spawn } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { NOT_DEPLOYED_PACKAGES } from "../lib/core/trace-prune";

/** The Vercel CLI this check (and the figures in docs/benchmarks.md) was made with. */
export const VERCEL_CLI = "vercel@58.10.0";

/**
 * The largest function allowed, in MB (10^6 bytes), set from the measurements in docs/benchmarks.md
 * ("Vercel functions"): a bare Next app's functions are 2.2–2.5 MB with this CLI; this project's were
 * 35–55 MB with PGlite, s3rver and Prettier in every one, and are 10.7–22.8 MB without them (the rest is
 * the app's own bundled server code: 17.6 MB of chunks in the function that groups the 46 pages). The
 * budget is the largest of those with a little room (PGlite's 20 MB coming back would cross it; the three
 * are also refused by name). The aim of 2× a bare app's is not met: docs/benchmarks.md says what is left.
 */
export const FUNCTION_BUDGET_MB = 26;

/**
 * A project that exists nowhere: `vercel build` needs one linked, and reads its settings from here. An empty
 * install command: without it the CLI runs `npm install` first (CI has just run `npm ci`).
 */
const PLACEHOLDER_PROJECT = { projectId: "_", orgId: "_", settings: { framework: "nextjs", installCommand: "" } };

export type FunctionReport = {
  /** The function's folder under .vercel/output/functions (routes grouped into it share it). */
  name: string;
  routes: string[];
  bytes: number;
  files: number;
  forbidden: string[];
};

/** Every function of a `vercel build` output, with its size and the forbidden packages it carries. */
export function measureFunctions(appDir: string): FunctionReport[] {
  const functionsDir = path.join(appDir, ".vercel", "output", "functions");
  const byTarget = new Map<string, FunctionReport>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      const route = path.relative(functionsDir, full).replace(/\.func$/, "");
      if (entry.endsWith(".func")) {
        const target = realpathSync(full);
        const report = byTarget.get(target) ?? measureFunction(target, appDir, functionsDir);
        report.routes.push(route);
        byTarget.set(target, report);
      } else if (lstatSync(full).isDirectory()) walk(full);
    }
  };
  walk(functionsDir);
  return [...byTarget.values()].sort((a, b) => b.bytes - a.bytes);
}

function measureFunction(funcDir: string, appDir: string, functionsDir: string): FunctionReport {
  const files = new Map<string, number>();
  const inside = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      const stat = statSync(full);
      if (stat.isDirectory()) inside(full);
      else files.set(path.relative(funcDir, full), stat.size);
    }
  };
  inside(funcDir);
  // The files a function lists but the output does not copy: Vercel uploads them from the app's folder.
  const config = JSON.parse(readFileSync(path.join(funcDir, ".vc-config.json"), "utf8")) as {
    filePathMap?: Record<string, string>;
  };
  for (const [inFunction, source] of Object.entries(config.filePathMap ?? {})) {
    if (files.has(inFunction)) continue;
    const full = path.resolve(appDir, source);
    files.set(inFunction, existsSync(full) ? lstatSync(full).size : 0);
  }
  const forbidden = NOT_DEPLOYED_PACKAGES.filter((name) =>
    [...files.keys()].some((file) => file.includes(`node_modules/${name}/`)),
  );
  return {
    name: path.relative(functionsDir, funcDir).replace(/\.func$/, ""),
    routes: [],
    bytes: [...files.values()].reduce((sum, size) => sum + size, 0),
    files: files.size,
    forbidden,
  };
}

/** The crons of vercel.json missing from the build's config.json (as "path schedule"). */
export function missingCrons(appDir: string): string[] {
  const wanted = readCrons(path.join(appDir, "vercel.json"));
  const built = new Set(readCrons(path.join(appDir, ".vercel", "output", "config.json")));
  return wanted.filter((cron) => !built.has(cron));
}

function readCrons(file: string): string[] {
  if (!existsSync(file)) return [];
  const { crons = [] } = JSON.parse(readFileSync(file, "utf8")) as { crons?: { path: string; schedule: string }[] };
  return crons.map((cron) => `${cron.path} ${cron.schedule}`);
}

export const megabytes = (bytes: number) => (bytes / 1e6).toFixed(2);

/** `vercel build` in appDir with no database and no provider key: only what finding node and npm needs. */
export async function vercelBuild(appDir: string) {
  const projectFile = path.join(appDir, ".vercel", "project.json");
  if (existsSync(projectFile)) {
    const linked = JSON.parse(readFileSync(projectFile, "utf8")) as { projectId?: string };
    if (linked.projectId !== PLACEHOLDER_PROJECT.projectId)
      throw new Error(
        `${projectFile} links a real Vercel project: this check builds offline with a placeholder one. ` +
          "Run it in a clean checkout (as CI does), or move .vercel aside.",
      );
  }
  mkdirSync(path.dirname(projectFile), { recursive: true });
  writeFileSync(projectFile, `${JSON.stringify(PLACEHOLDER_PROJECT)}\n`);
  // This shell's variables (PATH, HOME, CA certificates, proxies: what npx needs) without the app's own.
  const appVariable =
    /^(DATABASE_|PGLITE_|BETTER_AUTH_|AUTH_|APP_URL|STRIPE_|RESEND_|EMAIL_|CONTACT_|UPSTASH_|TRIGGER_|AI_|ANTHROPIC_|OPENAI_|S3_|SVIX_|SENTRY_|NEXT_PUBLIC_|POSTHOG_|GITHUB_|GOOGLE_|CRON_|VERCEL|NODE_ENV$)/;
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !appVariable.test(name))),
    NEXT_TELEMETRY_DISABLED: "1",
    VERCEL_TELEMETRY_DISABLED: "1",
    // Empty is unset for lib/core/env.ts, and Next's .env loading does not override a variable that is set:
    // a developer's .env.local with DATABASE_URL does not make this check pass by accident.
    DATABASE_URL: "",
  } as Record<string, string | undefined> as unknown as NodeJS.ProcessEnv;
  await new Promise<void>((resolve, reject) => {
    const child = spawn("npx", ["-y", VERCEL_CLI, "build", "--yes"], { cwd: appDir, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`vercel build exited with ${code}`))));
  });
}

async function main() {
  const args = process.argv.slice(2);
  const root = path.resolve(import.meta.dirname, "..");
  const appDir = path.resolve(root, args.find((arg) => arg.startsWith("--dir="))?.slice("--dir=".length) ?? ".");
  const limits = !args.includes("--no-limits") && appDir === root;
  if (!args.includes("--no-build")) await vercelBuild(appDir);

  const functions = measureFunctions(appDir);
  const problems: string[] = [];
  console.log(
    `\n${functions.length} functions (${functions.reduce((n, f) => n + f.routes.length, 0)} routes) in ${path.relative(root, appDir) || "."}/.vercel/output:`,
  );
  console.log("   MB  files  routes  function");
  for (const fn of functions) {
    console.log(
      `${megabytes(fn.bytes).padStart(5)}  ${String(fn.files).padStart(5)}  ${String(fn.routes.length).padStart(6)}  ${fn.name}${fn.forbidden.length ? `  (carries ${fn.forbidden.join(", ")})` : ""}`,
    );
    if (!limits) continue;
    if (fn.bytes > FUNCTION_BUDGET_MB * 1e6)
      problems.push(`${fn.name} is ${megabytes(fn.bytes)} MB, over the ${FUNCTION_BUDGET_MB} MB budget`);
    if (fn.forbidden.length)
      problems.push(`${fn.name} carries ${fn.forbidden.join(", ")}, which no deployed function runs`);
  }
  if (functions.length === 0) problems.push("the build made no functions");
  if (limits)
    for (const cron of missingCrons(appDir)) problems.push(`config.json lacks the cron ${cron} of vercel.json`);

  if (problems.length) {
    console.error(`\ncheck:vercel failed:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    process.exit(1);
  }
  if (limits)
    console.log(
      `\ncheck:vercel passed: every function under ${FUNCTION_BUDGET_MB} MB, none carries ${NOT_DEPLOYED_PACKAGES.join(", ")}, the crons are in config.json.`,
    );
}

if (import.meta.filename === process.argv[1]) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
