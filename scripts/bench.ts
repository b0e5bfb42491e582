/**
 * `npm run bench`: load-tests the project's production server (`next build &&
 * next start`) against a bare Next app doing the same kind of work
 * (bench/floor), so the ratios compare across machines, and writes the tables
 * into docs/benchmarks.md. Besides req/s, each row gives the server's CPU time
 * per request (from /proc, the server process and its children): unlike
 * throughput, it hardly moves when other work shares the machine. The modes
 * and flags are in USAGE below (`npm run bench -- --help`); the parts live in
 * scripts/bench/.
 */
import "./load-env";
import path from "node:path";
import { benchAuthCheck } from "./bench/auth-check";
import { benchAudit } from "./bench/audit";
import { benchBacklog } from "./bench/backlog";
import { benchCold } from "./bench/cold";
import { benchFirstCompile } from "./bench/first-compile";
import { benchFloor } from "./bench/floor";
import { benchObservability } from "./bench/observability";
import { run } from "./bench/processes";
import { benchRateLimit } from "./bench/ratelimit";
import { benchRealtime } from "./bench/realtime";
import { benchTeams } from "./bench/teams";
import { benchWebhooks } from "./bench/webhooks";
import { next, root } from "./bench/settings";

const USAGE = `npm run bench [-- options]

  (no option)        build, then each route against the bare app in bench/floor, on
                     DATABASE_URL's PostgreSQL or the embedded database; the table goes
                     into docs/benchmarks.md
  --no-build         reuse the existing .next build
  --route=<route>    only this route, e.g. --route="GET /dashboard" (docs not updated)
  --cpu-prof         a V8 CPU profile of the project server per route in .bench-profiles/
                     (open in Chrome DevTools; docs not updated)
  --observability    instead: the embedded database twice, Sentry and PostHog off, then
                     on (pointed at a local fake ingest); the added CPU ms per request is
                     what they cost
  --backlog          instead: on PostgreSQL (DATABASE_URL), BENCH_BACKLOG_EVENTS (100,000)
                     pending webhook events recovered by 1, 2 and 4 sweepers at once,
                     events per second; no build, no server
  --ratelimit        instead: on PostgreSQL (DATABASE_URL), BENCH_RATELIMIT_CHECKS (20,000)
                     rate-limit checks per row, counted in memory and in PostgreSQL, one at
                     a time and 16 at once, on new keys and on one key; µs of CPU per check
                     (Node and Postgres) and latency; no build, no server
  --realtime         instead: on PostgreSQL (DATABASE_URL), BENCH_REALTIME_STREAMS (200)
                     users with an open /api/events stream each; fan-out latency (COMMIT
                     sent → event read by the client) and server memory per open stream
  --cold             instead: Vercel cold starts. Builds the project and bench/floor with the
                     pinned Vercel CLI (offline), then per route BENCH_COLD_RUNS (6) fresh
                     processes that load the function's launcher and answer one request
                     (median, files loaded, function size), on DATABASE_URL's PostgreSQL;
                     with --no-build reuses both builds, with --cpu-prof writes a profile of
                     each run to .bench-profiles/cold/; --dir=<checkout> measures another
                     checkout's build
  --first-compile    instead: the CPU and wall seconds of a cold next dev (.next/dev
                     removed) until its first GET / answers; --dir=<checkout> measures
                     another checkout; no build
  --webhooks         instead: outbound webhooks in the benchmark's process (no build, no
                     server), on DATABASE_URL's PostgreSQL or an embedded database:
                     deliveries per second to 100 local endpoints, and the delay a dead
                     endpoint adds to a healthy one's deliveries
  --auth-check       instead: on PostgreSQL (DATABASE_URL), BENCH_AUTH_CHECKS (5,000) API key
                     checks and as many session checks, one at a time, in the benchmark's
                     process; µs of CPU per check (Node and Postgres); no build, no server
  --teams            instead: a team of BENCH_TEAM_MEMBERS (1,000) members beside a team of
                     one, their recipes page and members page under load; CPU ms per page view
  --audit            instead: the audit write's cost on the recipe-create path, in the
                     benchmark's process (no build, no server), on DATABASE_URL's PostgreSQL
                     or an embedded database: BENCH_AUDIT_CALLS (300) createRecipe calls
                     with and without recordAudit, wall and CPU ms per call
  --help             this text

Environment: BENCH_SECONDS (10 per run), BENCH_CONNECTIONS (16), BENCH_ROUNDS (2),
BENCH_WARMUP_SECONDS (8), BENCH_REWARM_SECONDS (3), BENCH_PORT (3200; the bare app on the next).`;

async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--help")) return console.log(USAGE);
  if (args.includes("--backlog")) return benchBacklog();
  if (args.includes("--ratelimit")) return benchRateLimit();
  if (args.includes("--first-compile"))
    return benchFirstCompile(args.find((arg) => arg.startsWith("--dir="))?.slice("--dir=".length));
  if (args.includes("--webhooks")) return benchWebhooks();
  if (args.includes("--auth-check")) return benchAuthCheck();
  if (args.includes("--audit")) return benchAudit();
  if (args.includes("--cold"))
    return benchCold({
      build: !args.includes("--no-build"),
      cpuProfile: args.includes("--cpu-prof"),
      projectDir: path.resolve(args.find((arg) => arg.startsWith("--dir="))?.slice("--dir=".length) ?? root),
    });
  if (!args.includes("--no-build"))
    await run(process.execPath, [next, "build"], {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
    });
  if (args.includes("--observability")) return benchObservability();
  if (args.includes("--realtime")) return benchRealtime();
  if (args.includes("--teams")) return benchTeams();
  const only = args.find((arg) => arg.startsWith("--route="))?.slice("--route=".length);
  const nodeOptions = args.includes("--cpu-prof")
    ? ["--cpu-prof", `--cpu-prof-dir=${path.join(root, ".bench-profiles")}`]
    : [];
  return benchFloor({ only, nodeOptions });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
