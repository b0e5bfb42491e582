/**
 * Each project route under autocannon on a fresh server of its own, with the
 * server's CPU time per request (`--observability` runs it with Sentry and
 * PostHog off, then on).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { cpuSecondsOfTree } from "./processes";
import { contactBody, signedStripeEvent } from "./requests";
import { prepareBenchData, prepareServerEnv, signIn, startServer, stopServer, waitForServer } from "./server";
import { base, connections, seconds } from "./settings";

export type Row = {
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

/** The routes `npm run bench` measures, in its order (the first is the floor). */
export const ROUTE_NAMES = [
  "GET /api/live (floor)",
  "GET /api/health",
  "POST /api/webhooks/stripe",
  "POST /api/contact",
  "GET /t/<team> (signed in)",
  "GET /contact (static page)",
  "GET / (published recipes)",
  "GET /sign-in (dynamic page)",
];

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

export async function benchDatabase(
  label: string,
  databaseUrl: string | undefined,
  extraEnv: Record<string, string> = {},
  onlyRoute?: string,
) {
  console.log(`\n# ${label}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-pglite-"));
  const env = await prepareServerEnv(databaseUrl, dataDir, extraEnv);
  const { teamPath } = await prepareBenchData(env, dataDir);

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
      route: "GET /t/<team> (signed in)",
      options: (cookie) => ({ url: `${base}${teamPath}`, headers: { cookie } }),
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
        rows.push(await measure(route, server.pid!, options(route.includes("signed in") ? await signIn() : ""), extra));
      } finally {
        await stopServer(server);
      }
    }
    return rows;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
