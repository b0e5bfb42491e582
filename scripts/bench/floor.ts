/**
 * The default mode: each project route against the bare app's route of the
 * same kind (bench/floor), both production servers side by side, under wrk.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { machineLine, nextVersion, postgresVersion, writeDocsSection } from "./markdown";
import { cpuSecondsOfTree, run, waitUntilIdle } from "./processes";
import { contactPost, signedEvents, signedStripeEvent } from "./requests";
import {
  prepareBenchData,
  prepareServerEnv,
  signIn,
  startFloorServer,
  startServer,
  stopServer,
  waitForServer,
} from "./server";
import type { BenchSetup } from "./setup";
import { base, connections, floorBase, floorDir, next, root, rounds, seconds, warmUpSeconds } from "./settings";
import { runWrk, type WrkRequest, type WrkResult } from "./wrk";

/** What a request may carry: the demo user's session cookie (for pages behind sign-in) and the bench's data. */
type RequestContext = { cookie: string; setup: BenchSetup };

/** A project route and the bare app's route of the same kind, with the ratio the project must reach. */
type FloorPair = {
  route: string;
  floor: string;
  /** The ratio the issue sets; none on a reference row (a floor doing the route's own work). */
  target?: number;
  /** The project's request for one run of `runSeconds` (called for every run: webhook events must never repeat). */
  request: (context: RequestContext, runSeconds: number) => WrkRequest;
  floorRequest: WrkRequest | ((context: RequestContext, runSeconds: number) => WrkRequest);
  /** The request needs the demo user's session cookie. */
  signedIn?: boolean;
  /** The floor route reads and writes the project's database: measured only on PostgreSQL. */
  sameSql?: boolean;
};

const apiRecipeBody = JSON.stringify({
  title: "Bench stew",
  description: "Written through the public API.",
  ingredients: ["1 pot"],
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
    // The dashboard: /dashboard leads to the personal team's page, which is this.
    route: "GET /t/<team> (signed in)",
    floor: "dynamic page",
    target: 0.5,
    signedIn: true,
    request: ({ cookie, setup }) => ({ path: setup.teamPath, headers: { cookie } }),
    floorRequest: { path: "/dynamic" },
  },
  {
    // The public API's read: the key checked in one query, the team's first page of recipes, an ETag.
    route: "GET /api/v1/recipes (API key)",
    floor: "GET route",
    target: 0.5,
    request: ({ setup }) => ({ path: "/api/v1/recipes", headers: { authorization: `Bearer ${setup.apiKey}` } }),
    floorRequest: { path: "/api/live" },
  },
  {
    // The public API's write: key, limits, body, a recipe inserted, the team's webhooks told in the same transaction.
    route: "POST /api/v1/recipes (API key)",
    floor: "POST route",
    target: 0.5,
    request: ({ setup }) => ({
      method: "POST",
      path: "/api/v1/recipes",
      headers: { authorization: `Bearer ${setup.apiKey}`, "content-type": "application/json" },
      body: apiRecipeBody,
    }),
    floorRequest: {
      method: "POST",
      path: "/api/post",
      headers: { "content-type": "application/json" },
      body: apiRecipeBody,
    },
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
    route: "GET /t/<team> (against the same SQL)",
    floor: "dynamic page, same statements",
    sameSql: true,
    signedIn: true,
    request: ({ cookie, setup }) => ({ path: setup.teamPath, headers: { cookie } }),
    floorRequest: ({ cookie, setup }) => ({
      path: `/dashboard-sql?team=${encodeURIComponent(setup.teamPath.split("/").at(-1)!)}`,
      headers: { cookie },
    }),
  },
];

type PairResult = {
  pair: FloorPair;
  project: (WrkResult & { cpuMsPerRequest: number })[];
  floor: (WrkResult & { cpuMsPerRequest: number })[];
};

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
  const setup = await prepareBenchData(env, dataDir);
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
        const context: RequestContext = { cookie: pair.signedIn ? await signIn() : "", setup };
        const request = (runSeconds: number) => pair.request(context, runSeconds);
        const { path: checkPath, headers: checkHeaders, method, requestsFile } = request(0);
        if (requestsFile) rmSync(path.dirname(requestsFile), { recursive: true, force: true });
        const check = await fetch(`${base}${checkPath}`, { headers: checkHeaders, redirect: "manual" });
        if (!method && !requestsFile && check.status !== 200)
          throw new Error(`${pair.route} answered ${check.status} before the run`);
        // Warm-up: V8 optimizes the hot paths, pools fill, caches fill. 2 s was not enough for the project: its
        // first measured run came out up to 40 % slower than its second.
        await runWrkOnce(base, request(warmUpSeconds), warmUpSeconds);
        const floorRequest = (runSeconds: number) =>
          typeof pair.floorRequest === "function" ? pair.floorRequest(context, runSeconds) : pair.floorRequest;
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

/**
 * Builds the bare app (its `/sized` page as big as the project's `/`), runs
 * every pair (or only `only`, a route without its parenthesis), and writes the
 * table into docs/benchmarks.md unless the run was partial or profiled.
 */
export async function benchFloor({ only, nodeOptions = [] }: { only?: string; nodeOptions?: string[] }) {
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
  const databaseUrl = process.env.DATABASE_URL;
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  console.log(`\n# against a bare Next app, ${databaseUrl ? "PostgreSQL" : "embedded PGlite"}`);
  const results = await benchAgainstFloor(databaseUrl, only, nodeOptions);
  const markdown = [
    `Machine: ${machineLine(`wrk 1 thread, ${connections} connections, ${seconds} s per run, ${rounds} rounds`)} Next ${nextVersion()} for both apps; ${databaseUrl ? `PostgreSQL ${await postgresVersion()}` : "embedded PGlite"}; load average ${loadBefore} when the run began.`,
    "",
    floorTable(results),
  ].join("\n");
  console.log(`\n${markdown}\n`);
  if (!only && !nodeOptions.length) writeDocsSection("bench", markdown);
}
