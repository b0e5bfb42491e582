/**
 * `npm run bench`: load-tests a production server (`next build && next start`)
 * and reports each route's throughput as a ratio to a trivial route on the same
 * server in the same run (the floor), so results compare across machines.
 * Runs once on the embedded database and, when DATABASE_URL is set, once on
 * PostgreSQL. Writes the table into docs/benchmarks.md between the bench markers.
 * Besides req/s, each row gives the server's CPU time per request (from /proc,
 * the server process and its children): unlike throughput, it hardly moves
 * when other work shares the machine.
 *
 *   npm run bench               build, then measure
 *   npm run bench -- --no-build reuse the existing .next build
 *   npm run bench -- --observability
 *                               instead: the embedded database twice, with Sentry
 *                               and PostHog off, then on (pointed at a local fake
 *                               ingest), into the observability table of
 *                               docs/benchmarks.md; the
 *                               added CPU ms per request is what they cost
 *   npm run bench -- --backlog
 *                               instead: on PostgreSQL (DATABASE_URL), 100,000
 *                               pending webhook events recovered by the sweeper
 *                               (1, 2 and 4 sweepers at once), events per second
 *                               into docs/benchmarks.md (scripts/bench-backlog.ts);
 *                               no build, no server
 *   npm run bench -- --realtime
 *                               instead: on PostgreSQL (DATABASE_URL), 200 users
 *                               with an open /api/events stream each; fan-out
 *                               latency (COMMIT sent → event read by the client)
 *                               p50/p99 and server memory per open stream, into
 *                               docs/benchmarks.md (scripts/bench-realtime.ts)
 */
import "./load-env";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import postgres from "postgres";
import Stripe from "stripe";
import { startFakeIngest } from "../tests/support/fake-ingest";
import { measureBacklog } from "./bench-backlog";
import { measureRealtimeFanOut, type LatencySummary } from "./bench-realtime";
import { runWrk, type WrkRequest, type WrkResult } from "./wrk";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.BENCH_PORT ?? 3200);
const base = `http://127.0.0.1:${port}`;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const webhookSecret = "whsec_bench_only_secret";
const next = path.join(root, "node_modules/next/dist/bin/next");
const stripe = new Stripe("sk_test_bench_signing_only");
const floorDir = path.join(root, "bench", "floor");
const floorPort = port + 1;
const floorBase = `http://127.0.0.1:${floorPort}`;
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const warmUpSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 8);

type Row = {
  route: string;
  target?: number;
  floorOf?: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU time the server process (and its children) spent per request in the measured run, in ms. */
  cpuMsPerRequest: number;
};

/** Every process on the machine with its parent and CPU ticks so far, from /proc (Linux). */
function processStats() {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        // Fields after the command name (which may contain spaces): state ppid ... utime(14) stime(15)
        const text = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
        return [{ pid: Number(pid), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }];
      } catch {
        return []; // exited meanwhile
      }
    });
}

/** A process and all its descendants (a server may fork workers). */
function processTree(rootPid: number) {
  const stats = processStats();
  const inTree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const stat of stats)
      if (!inTree.has(stat.pid) && inTree.has(stat.ppid)) {
        inTree.add(stat.pid);
        grew = true;
      }
  }
  return stats.filter((stat) => inTree.has(stat.pid));
}

/** CPU seconds (user + system) used so far by a process and all its descendants. */
function cpuSecondsOfTree(rootPid: number): number {
  const ticksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on
  return processTree(rootPid).reduce((sum, stat) => sum + stat.ticks, 0) / ticksPerSecond;
}

/** Resident memory of a process and all its descendants, in bytes (VmRSS from /proc). */
function rssOfTree(rootPid: number): number {
  return processTree(rootPid).reduce((sum, { pid }) => {
    try {
      const kib = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m)?.[1];
      return sum + Number(kib ?? 0) * 1024;
    } catch {
      return sum;
    }
  }, 0);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = root) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: "inherit" });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

async function waitForServer(server: ChildProcess, url = base) {
  for (let i = 0; i < 120; i++) {
    if (server.exitCode !== null) throw new Error("the server exited during start-up");
    try {
      if ((await fetch(`${url}/api/live`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the server did not start within a minute");
}

async function signIn(): Promise<string> {
  const response = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email: "demo@example.com", password: "demo-password" }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

/** A subscription update for a customer this app does not know: verified, stored, then processed (the handler looks the customer up). */
function signedStripeEvent() {
  const payload = JSON.stringify({
    id: `evt_bench_${randomUUID()}`,
    object: "event",
    type: "customer.subscription.updated",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    api_version: Stripe.API_VERSION,
    data: {
      object: {
        id: "sub_bench",
        object: "subscription",
        customer: "cus_bench_unknown",
        status: "active",
        metadata: {},
        items: { data: [] },
      },
    },
  });
  return { payload, signature: stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }) };
}

const contactBody = JSON.stringify({
  name: "Bench",
  email: "bench@example.com",
  subject: "Load test",
  message: "Measuring the contact route.",
});

async function measure(
  route: string,
  serverPid: number,
  options: autocannon.Options,
  extra: Partial<Row> = {},
): Promise<Row> {
  const opts = { connections, duration: seconds, ...options };
  await autocannon({ ...opts, duration: 2 }); // warm-up: compiled code paths, pools, caches
  const cpuBefore = cpuSecondsOfTree(serverPid);
  const result = await autocannon(opts);
  const cpuSeconds = cpuSecondsOfTree(serverPid) - cpuBefore;
  const row = {
    route,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuMsPerRequest: (cpuSeconds * 1000) / Math.max(1, result.requests.total),
    ...extra,
  };
  console.log(
    `  ${route.padEnd(34)} ${row.rps.toFixed(0).padStart(7)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  ${row.cpuMsPerRequest.toFixed(2)} CPU ms/req${row.non2xx ? `  non-2xx ${row.non2xx}` : ""}`,
  );
  return row;
}

/** The production server's environment for one database, migrated and seeded. */
async function prepareServerEnv(databaseUrl: string | undefined, dataDir: string, extraEnv: Record<string, string>) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl ?? "",
    PGLITE_DATA_DIR: dataDir,
    APP_URL: base,
    BETTER_AUTH_URL: base,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    CONTACT_RATE_LIMIT: "100000000",
    CONTACT_GLOBAL_RATE_LIMIT: "100000000",
    // A production start needs a real secret; this one exists only for the benchmark's servers.
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64"),
    NEXT_TELEMETRY_DISABLED: "1",
    ...extraEnv,
  };
  if (databaseUrl)
    await run(
      process.execPath,
      [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "scripts/migrate.ts"],
      env,
    );
  await run(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "scripts/seed.ts"],
    env,
  );
  return env;
}

function startServer(env: NodeJS.ProcessEnv, stdout: "ignore" | "pipe" = "ignore", nodeOptions: string[] = []) {
  return spawn(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    // NODE_OPTIONS, not arguments: they reach the process that serves, whichever `next start` runs it in.
    env: nodeOptions.length ? { ...env, NODE_OPTIONS: nodeOptions.join(" ") } : env,
    stdio: ["ignore", stdout, "inherit"],
  });
}

/** The bare app beside the project (bench/floor), on the next port, with nothing but Next's own defaults. */
function startFloorServer(databaseUrl: string | undefined) {
  return spawn(process.execPath, [next, "start", "-p", String(floorPort), "-H", "127.0.0.1"], {
    cwd: floorDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      // Read only by the same-SQL routes.
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      STRIPE_WEBHOOK_SECRET: webhookSecret,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function stopServer(server: ChildProcess) {
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
}

async function benchDatabase(
  label: string,
  databaseUrl: string | undefined,
  extraEnv: Record<string, string> = {},
  onlyRoute?: string,
) {
  console.log(`\n# ${label}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-pglite-"));
  const env = await prepareServerEnv(databaseUrl, dataDir, extraEnv);

  // Each route gets a fresh server: the jobs a webhook or contact burst leaves
  // behind (processed after the responses) must not slow the next route down.
  const routes: { route: string; options: (cookie: string) => autocannon.Options; extra?: Partial<Row> }[] = [
    { route: "GET /api/live (floor)", options: () => ({ url: `${base}/api/live` }) },
    { route: "GET /api/health", options: () => ({ url: `${base}/api/health` }) },
    {
      route: "POST /api/webhooks/stripe",
      options: () => ({
        url: `${base}/api/webhooks/stripe`,
        requests: [
          {
            method: "POST",
            setupRequest: (request) => {
              const { payload, signature } = signedStripeEvent();
              return {
                ...request,
                body: payload,
                headers: { ...request.headers, "content-type": "application/json", "stripe-signature": signature },
              };
            },
          },
        ],
      }),
      extra: { target: 0.7 },
    },
    {
      route: "POST /api/contact",
      options: () => ({
        url: `${base}/api/contact`,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: contactBody,
      }),
      extra: { target: 0.5 },
    },
    {
      route: "GET /dashboard (signed in)",
      options: (cookie) => ({ url: `${base}/dashboard`, headers: { cookie } }),
      extra: { target: 0.4 },
    },
    { route: "GET /contact (static page)", options: () => ({ url: `${base}/contact` }) },
    {
      route: "GET / (published recipes)",
      options: () => ({ url: `${base}/` }),
      extra: { target: 0.8, floorOf: "GET /contact (static page)" },
    },
    // A form page like /contact but rendered per request: what a nonce-based CSP (which makes every page dynamic) would cost.
    {
      route: "GET /sign-in (dynamic page)",
      options: () => ({ url: `${base}/sign-in` }),
      extra: { floorOf: "GET /contact (static page)" },
    },
  ];
  const rows: Row[] = [];
  try {
    for (const { route, options, extra } of routes.filter((r) => !onlyRoute || r.route === onlyRoute)) {
      const server = startServer(env);
      try {
        await waitForServer(server);
        rows.push(await measure(route, server.pid!, options(route.includes("dashboard") ? await signIn() : ""), extra));
      } finally {
        await stopServer(server);
      }
    }
    return rows;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A project route and the bare app's route of the same kind, with the ratio the project must reach. */
type FloorPair = {
  route: string;
  floor: string;
  /** The ratio the issue sets; none on a reference row (a floor doing the route's own work). */
  target?: number;
  /** The project's request for one run of `runSeconds` (called for every run: webhook events must never repeat). */
  request: (cookie: string, runSeconds: number) => WrkRequest;
  floorRequest: WrkRequest | ((cookie: string, runSeconds: number) => WrkRequest);
  /** The floor route reads and writes the project's database: measured only on PostgreSQL. */
  sameSql?: boolean;
};

const stripeHeaders = (signature: string) => ({ "content-type": "application/json", "stripe-signature": signature });

/** `count` distinct signed Stripe events as a wrk requests file: each delivery is a new event, as in production. */
function signedEventsFile(count: number) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "bench-events-")), "events.tsv");
  const lines = Array.from({ length: count }, () => {
    const { payload, signature } = signedStripeEvent();
    return `${JSON.stringify(stripeHeaders(signature))}\t${payload}`;
  });
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/**
 * Distinct signed events POSTed to `path`, a new file for every run (wrk starts each run at its first line),
 * enough for 3,000 req/s; signed just before the run, well within Stripe's 300 s tolerance.
 */
const signedEvents = (path: string) => (_cookie: string, runSeconds: number) => ({
  path,
  requestsFile: signedEventsFile(runSeconds * 3000),
});

/** The contact form's message, as JSON to `path`. */
const contactPost = (path: string): WrkRequest => ({
  method: "POST",
  path,
  headers: { "content-type": "application/json" },
  body: contactBody,
});

const floorPairs: FloorPair[] = [
  {
    route: "GET /api/live",
    floor: "GET route",
    target: 0.8,
    request: () => ({ path: "/api/live" }),
    floorRequest: { path: "/api/live" },
  },
  {
    route: "POST /api/webhooks/stripe (signed, distinct ids)",
    floor: "POST route",
    target: 0.7,
    request: signedEvents("/api/webhooks/stripe"),
    floorRequest: {
      method: "POST",
      path: "/api/post",
      headers: { "content-type": "application/json" },
      body: signedStripeEvent().payload,
    },
  },
  {
    route: "POST /api/contact",
    floor: "POST route",
    target: 0.5,
    request: () => contactPost("/api/contact"),
    floorRequest: contactPost("/api/post"),
  },
  {
    route: "GET /dashboard (signed in)",
    floor: "dynamic page",
    target: 0.5,
    request: (cookie) => ({ path: "/dashboard", headers: { cookie } }),
    floorRequest: { path: "/dynamic" },
  },
  {
    route: "GET /",
    floor: "static page",
    target: 0.9,
    request: () => ({ path: "/" }),
    floorRequest: { path: "/" },
  },
  {
    // The same page against a bare static page of its size: how much of the gap above is bytes, not the project.
    route: "GET / (against a page of its size)",
    floor: "static page, same size",
    target: 0.9,
    request: () => ({ path: "/" }),
    floorRequest: { path: "/sized" },
  },
  // Reference rows: the bare app doing the route's own database work, in the same statements through the same
  // driver (bench/floor/app/*-sql), and nothing else. What is left of the gap is the project's own code.
  {
    route: "POST /api/webhooks/stripe (against the same SQL)",
    floor: "POST route, same statements",
    sameSql: true,
    request: signedEvents("/api/webhooks/stripe"),
    floorRequest: signedEvents("/api/webhook-sql"),
  },
  {
    route: "POST /api/contact (against the same SQL)",
    floor: "POST route, same statements",
    sameSql: true,
    request: () => contactPost("/api/contact"),
    floorRequest: contactPost("/api/contact-sql"),
  },
  {
    route: "GET /dashboard (against the same SQL)",
    floor: "dynamic page, same statements",
    sameSql: true,
    request: (cookie) => ({ path: "/dashboard", headers: { cookie } }),
    floorRequest: (cookie) => ({ path: "/dashboard-sql", headers: { cookie } }),
  },
];

type PairResult = {
  pair: FloorPair;
  project: (WrkResult & { cpuMsPerRequest: number })[];
  floor: (WrkResult & { cpuMsPerRequest: number })[];
};

/**
 * Waits until the server has finished the work the load left behind (the
 * in-process jobs a burst of contact messages or webhooks queues run after
 * their responses): CPU under 5 % for half a second, or 60 s at most.
 */
async function waitUntilIdle(pid: number) {
  const deadline = Date.now() + 60_000;
  let before = cpuSecondsOfTree(pid);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = cpuSecondsOfTree(pid);
    if (now - before < 0.025) return;
    before = now;
  }
}

/**
 * One wrk run with the server's CPU time per request. The CPU counts until the
 * server is idle again, so the jobs the requests caused are charged to them
 * (and do not run into the next measurement); req/s is wrk's, over its run.
 */
async function wrkWithCpu(url: string, request: WrkRequest, pid: number, duration = seconds) {
  await waitUntilIdle(pid);
  const cpuBefore = cpuSecondsOfTree(pid);
  const result = await runWrkOnce(url, request, duration);
  await waitUntilIdle(pid);
  const cpuSeconds = cpuSecondsOfTree(pid) - cpuBefore;
  return { ...result, cpuMsPerRequest: (cpuSeconds * 1000) / Math.max(1, result.requests) };
}

/** One wrk run; a requests file (distinct webhook events) serves this run only and is deleted after it. */
async function runWrkOnce(url: string, request: WrkRequest, duration: number) {
  try {
    return await runWrk(url, request, { seconds: duration, connections });
  } finally {
    if (request.requestsFile) rmSync(path.dirname(request.requestsFile), { recursive: true, force: true });
  }
}

/**
 * Load just before each measured run, so that no server is measured straight
 * after sitting idle. Idle for 8 s, V8's memory reducer collects the heap to
 * shrink it, and the next seconds of load run partly de-optimized: measured
 * with this re-warm off, the project's CPU per request on GET /api/live was
 * 0.65 and 0.60 ms in the rounds that followed the floor's run, 0.51 and 0.48
 * in those that followed its own; with `--no-memory-reducer`, 0.50–0.52 in
 * every round. The bare app pays the same, less (it has less code to warm).
 */
const rewarmSeconds = Number(process.env.BENCH_REWARM_SECONDS ?? 3);

/**
 * The default mode: each project route against the bare app's route of the
 * same kind, both production servers running side by side. Per route: a fresh
 * project server (the jobs one burst leaves behind must not slow the next
 * route), a warm-up of both, then `rounds` rounds alternating which goes first.
 */
async function benchAgainstFloor(databaseUrl: string | undefined, only?: string, nodeOptions: string[] = []) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-pglite-"));
  const env = await prepareServerEnv(databaseUrl, dataDir, {});
  const floorServer = startFloorServer(databaseUrl);
  const results: PairResult[] = [];
  try {
    await waitForServer(floorServer, floorBase);
    const pairs = floorPairs.filter(
      (p) => (!only || p.route.split(" (")[0] === only) && (databaseUrl !== undefined || !p.sameSql),
    );
    for (const pair of pairs) {
      const server = startServer(env, "ignore", nodeOptions);
      try {
        await waitForServer(server);
        const cookie = pair.route.includes("dashboard") ? await signIn() : "";
        const request = (runSeconds: number) => pair.request(cookie, runSeconds);
        const { path: checkPath, headers: checkHeaders, method, requestsFile } = request(0);
        if (requestsFile) rmSync(path.dirname(requestsFile), { recursive: true, force: true });
        const check = await fetch(`${base}${checkPath}`, { headers: checkHeaders, redirect: "manual" });
        if (!method && !requestsFile && check.status !== 200)
          throw new Error(`${pair.route} answered ${check.status} before the run`);
        // Warm-up: V8 optimizes the hot paths, pools fill, caches fill. 2 s was not enough for the project: its
        // first measured run came out up to 40 % slower than its second.
        await runWrkOnce(base, request(warmUpSeconds), warmUpSeconds);
        const floorRequest = (runSeconds: number) =>
          typeof pair.floorRequest === "function" ? pair.floorRequest(cookie, runSeconds) : pair.floorRequest;
        await runWrkOnce(floorBase, floorRequest(warmUpSeconds), warmUpSeconds);
        const result: PairResult = { pair, project: [], floor: [] };
        for (let round = 0; round < rounds; round++) {
          const runProject = async () => {
            if (rewarmSeconds > 0) await runWrkOnce(base, request(rewarmSeconds), rewarmSeconds);
            result.project.push(await wrkWithCpu(base, request(seconds), server.pid!));
          };
          const runFloor = async () => {
            if (rewarmSeconds > 0) await runWrkOnce(floorBase, floorRequest(rewarmSeconds), rewarmSeconds);
            result.floor.push(await wrkWithCpu(floorBase, floorRequest(seconds), floorServer.pid!));
          };
          if (round % 2 === 0) {
            await runFloor();
            await runProject();
          } else {
            await runProject();
            await runFloor();
          }
          const [p, f] = [result.project.at(-1)!, result.floor.at(-1)!];
          console.log(
            `  ${pair.route.padEnd(48)} round ${round + 1}: ${p.rps.toFixed(0)} vs ${f.rps.toFixed(0)} req/s (${(p.rps / f.rps).toFixed(2)}); CPU ${p.cpuMsPerRequest.toFixed(2)} vs ${f.cpuMsPerRequest.toFixed(2)} ms/req${p.non2xx ? `; non-2xx ${p.non2xx}` : ""}`,
          );
        }
        results.push(result);
      } finally {
        await stopServer(server);
      }
    }
    return results;
  } finally {
    await stopServer(floorServer);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function floorTable(results: PairResult[]) {
  const lines = [
    "| route | project req/s | floor (bare Next) | floor req/s | ratio | project CPU ms/req | floor CPU ms/req | response KB, project / floor | p50 / p99 ms | target |",
    "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const { pair, project, floor } of results) {
    const ratios = project.map((p, i) => p.rps / floor[i]!.rps);
    const target = pair.target;
    const met =
      target === undefined
        ? "reference"
        : `≥ ${target} ${Math.min(...ratios) >= target ? "✓" : Math.max(...ratios) >= target ? "~" : "✗"}`;
    const failures = project.reduce((sum, p) => sum + p.non2xx + p.socketErrors, 0);
    const list = (values: number[], digits = 0) => values.map((v) => v.toFixed(digits)).join(" / ");
    lines.push(
      `| ${pair.route}${failures ? ` (${failures} failed)` : ""} | ${list(project.map((p) => p.rps))} | ${pair.floor} | ${list(floor.map((f) => f.rps))} | ${list(ratios, 2)} | ${list(
        project.map((p) => p.cpuMsPerRequest),
        2,
      )} | ${list(
        floor.map((f) => f.cpuMsPerRequest),
        2,
      )} | ${(project[0]!.bytesPerResponse / 1024).toFixed(1)} / ${(floor[0]!.bytesPerResponse / 1024).toFixed(1)} | ${project[0]!.p50Ms.toFixed(1)} / ${project[0]!.p99Ms.toFixed(1)} | ${met} |`,
    );
  }
  return lines.join("\n");
}

function writeDocsSection(name: string, markdown: string) {
  const readme = path.join(root, "docs", "benchmarks.md");
  const text = readFileSync(readme, "utf8");
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  if (text.includes(start) && text.includes(end)) {
    writeFileSync(
      readme,
      `${text.slice(0, text.indexOf(start) + start.length)}\n${markdown}\n${text.slice(text.indexOf(end))}`,
    );
    console.log(`docs/benchmarks.md updated (${name}).`);
  }
}

function machineLine(load = `autocannon ${connections} connections × ${seconds} s per route`) {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}; ${load}, load generator on the same machine; measured ${new Date().toISOString().slice(0, 10)}.`;
}

/** The routes `npm run bench` measures, in its order (the first is the floor). */
const ROUTE_NAMES = [
  "GET /api/live (floor)",
  "GET /api/health",
  "POST /api/webhooks/stripe",
  "POST /api/contact",
  "GET /dashboard (signed in)",
  "GET /contact (static page)",
  "GET / (published recipes)",
  "GET /sign-in (dynamic page)",
];

/**
 * The cost of Sentry and PostHog per request: each route with both off and
 * with both on (against a local fake ingest), back to back on fresh servers,
 * alternating which goes first, so drift in the machine's load falls on both.
 * The CPU each request costs the server is the figure to read.
 */
async function benchObservability() {
  const ingest = await startFakeIngest();
  const offEnv = { SENTRY_DSN: "", POSTHOG_KEY: "" };
  const onEnv = { SENTRY_DSN: ingest.sentryDsn, POSTHOG_KEY: "phc_bench_only", POSTHOG_HOST: ingest.url };
  try {
    const off: Row[] = [];
    const on: Row[] = [];
    for (const [i, route] of ROUTE_NAMES.entries()) {
      const runOff = async () =>
        off.push(...(await benchDatabase(`${route}: observability off`, undefined, offEnv, route)));
      const runOn = async () =>
        on.push(...(await benchDatabase(`${route}: observability on`, undefined, onEnv, route)));
      if (i % 2 === 0) {
        await runOff();
        await runOn();
      } else {
        await runOn();
        await runOff();
      }
    }
    const lines = [
      `Machine: ${machineLine()} Embedded PGlite. Each route off and on back to back, alternating the order.`,
      "",
      "| route | off req/s | on req/s | off CPU ms/req | on CPU ms/req | added CPU ms/req |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
    ];
    for (const [i, row] of off.entries()) {
      const other = on[i]!;
      lines.push(
        `| ${row.route} | ${row.rps.toFixed(0)} | ${other.rps.toFixed(0)} | ${row.cpuMsPerRequest.toFixed(2)} | ${other.cpuMsPerRequest.toFixed(2)} | ${(other.cpuMsPerRequest - row.cpuMsPerRequest).toFixed(2)} |`,
      );
    }
    const markdown = lines.join("\n");
    console.log(`\n${markdown}\n`);
    console.log(`fake ingest received: ${ingest.requests.length} requests`);
    writeDocsSection("bench-observability", markdown);
  } finally {
    await ingest.close();
  }
}

/**
 * Real-time fan-out on PostgreSQL: one server, BENCH_REALTIME_STREAMS users
 * (200) each holding one open stream. The server's own log gives the other
 * half: `fanOutLatencyMs` (publish → written to the streams) per event.
 */
async function benchRealtime() {
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

/**
 * Recovering a backlog on PostgreSQL: BENCH_BACKLOG_EVENTS (100,000) pending
 * webhook events, drained by 1, 2 and 4 sweepers at once with the default
 * batch size and concurrency (SWEEP_BATCH_SIZE, SWEEP_CONCURRENCY).
 */
async function benchBacklog() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("--backlog measures the sweeper on PostgreSQL: set DATABASE_URL");
  const events = Number(process.env.BENCH_BACKLOG_EVENTS ?? 100_000);
  // One warning per event ("a customer this app does not know") would be most of the work: errors only.
  process.env.LOG_LEVEL = "error";
  const { env } = await import("@/lib/env");
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

async function postgresVersion() {
  const client = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const [row] = await client<{ server_version: string }[]>`show server_version`;
    return row?.server_version.split(" ")[0] ?? "?";
  } finally {
    await client.end();
  }
}

/**
 * How much text the floor's `/sized` page carries so that it is about as big as
 * the project's prerendered `/` (the text appears twice: in the HTML and in the
 * page's RSC payload). 0 when `/` was not prerendered (a build without a database).
 */
function floorFillerBytes() {
  const prerendered = path.join(root, process.env.NEXT_DIST_DIR || ".next", "server/app/index.html");
  const bareStaticPage = 4700;
  return existsSync(prerendered) ? Math.max(0, Math.round((statSync(prerendered).size - bareStaticPage) / 2)) : 0;
}

async function main() {
  if (process.argv.includes("--backlog")) return benchBacklog();
  if (!process.argv.includes("--no-build"))
    await run(process.execPath, [next, "build"], {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
    });
  if (process.argv.includes("--observability")) return benchObservability();
  if (process.argv.includes("--realtime")) return benchRealtime();
  await run(
    process.execPath,
    [next, "build"],
    {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      FLOOR_FILLER_BYTES: String(floorFillerBytes()),
    },
    floorDir,
  );
  const only = process.argv.find((arg) => arg.startsWith("--route="))?.slice("--route=".length);
  // `--cpu-prof`: the project server writes a V8 CPU profile per route into .bench-profiles/ (open in Chrome DevTools).
  const profile = process.argv.includes("--cpu-prof")
    ? ["--cpu-prof", `--cpu-prof-dir=${path.join(root, ".bench-profiles")}`]
    : [];
  const databaseUrl = process.env.DATABASE_URL;
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  console.log(`\n# against a bare Next app, ${databaseUrl ? "PostgreSQL" : "embedded PGlite"}`);
  const results = await benchAgainstFloor(databaseUrl, only, profile);
  const markdown = [
    `Machine: ${machineLine(`wrk 1 thread, ${connections} connections, ${seconds} s per run, ${rounds} rounds`)} Next ${nextVersion()} for both apps; ${databaseUrl ? `PostgreSQL ${await postgresVersion()}` : "embedded PGlite"}; load average ${loadBefore} when the run began.`,
    "",
    floorTable(results),
  ].join("\n");
  console.log(`\n${markdown}\n`);
  if (!only && !profile.length) writeDocsSection("bench", markdown);
}

function nextVersion() {
  return (JSON.parse(readFileSync(path.join(root, "node_modules/next/package.json"), "utf8")) as { version: string })
    .version;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
