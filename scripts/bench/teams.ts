/**
 * `npm run bench -- --teams`: what a big team costs per page view. The production server (built by
 * `npm run bench`) on DATABASE_URL's PostgreSQL or the embedded database, with a team of
 * BENCH_TEAM_MEMBERS members (1,000) beside a team of its owner alone; the owner views each team's
 * recipes page and members page under wrk, and each row gives the server's CPU ms per view.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { machineLine, nextVersion, postgresVersion, writeDocsSection } from "./markdown";
import { cpuSecondsOfTree, waitUntilIdle } from "./processes";
import { prepareBenchData, prepareServerEnv, signIn, startServer, stopServer, waitForServer } from "./server";
import { base, seconds, warmUpSeconds } from "./settings";
import { runWrk } from "./wrk";

/**
 * Two views at a time (one per core here): a big team's members page takes long enough that 16 at once
 * would measure the queue, not the page. A view may take up to 30 s before it counts as failed.
 */
const connections = 2;
const timeoutSeconds = 30;

export async function benchTeams() {
  const members = Number(process.env.BENCH_TEAM_MEMBERS ?? 1_000);
  const databaseUrl = process.env.DATABASE_URL;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-pglite-"));
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  console.log(`\n# teams: ${members} members beside 1, ${databaseUrl ? "PostgreSQL" : "embedded PGlite"}`);
  const env = await prepareServerEnv(databaseUrl, dataDir, {});
  const setup = await prepareBenchData(env, dataDir, members);
  const server = startServer(env);
  const rows: {
    page: string;
    small: number;
    big: number;
    smallP50: number;
    bigP50: number;
    smallBytes: number;
    bigBytes: number;
  }[] = [];
  try {
    await waitForServer(server);
    const cookie = await signIn();
    const measure = async (pagePath: string) => {
      const request = { path: pagePath, headers: { cookie } };
      const check = await fetch(`${base}${pagePath}`, { headers: { cookie }, redirect: "manual" });
      if (check.status !== 200) throw new Error(`${pagePath} answered ${check.status}`);
      await runWrk(base, request, { seconds: warmUpSeconds, connections, timeoutSeconds });
      await waitUntilIdle(server.pid!);
      const before = cpuSecondsOfTree(server.pid!);
      const result = await runWrk(base, request, { seconds, connections, timeoutSeconds });
      await waitUntilIdle(server.pid!);
      if (result.non2xx || result.socketErrors)
        throw new Error(
          `${pagePath}: ${result.non2xx} failed answers, ${result.socketErrors} socket errors or timeouts`,
        );
      return {
        p50Ms: result.p50Ms,
        cpuMs: ((cpuSecondsOfTree(server.pid!) - before) * 1000) / Math.max(1, result.requests),
        bytes: result.bytesPerResponse,
      };
    };
    for (const [page, suffix] of [
      ["recipes page (/t/<team>)", ""],
      ["members page (/t/<team>/members)", "/members"],
    ] as const) {
      const small = await measure(`${setup.smallTeamPath}${suffix}`);
      const big = await measure(`${setup.bigTeamPath}${suffix}`);
      rows.push({
        page,
        small: small.cpuMs,
        big: big.cpuMs,
        smallP50: small.p50Ms,
        bigP50: big.p50Ms,
        smallBytes: small.bytes,
        bigBytes: big.bytes,
      });
      console.log(`  ${page}: ${small.cpuMs.toFixed(2)} vs ${big.cpuMs.toFixed(2)} CPU ms per view`);
    }
  } finally {
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const markdown = [
    `Machine: ${machineLine(`wrk 1 thread, ${connections} connections, ${seconds} s per page`)} Next ${nextVersion()}; ${databaseUrl ? `PostgreSQL ${await postgresVersion()}` : "embedded PGlite"}; load average ${loadBefore} when the run began.`,
    "",
    `| page, viewed by the owner | team of 1: CPU ms/view | team of ${members.toLocaleString("en")}: CPU ms/view | ratio | p50 ms, 1 / ${members.toLocaleString("en")} | response KB, 1 / ${members.toLocaleString("en")} |`,
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.page} | ${r.small.toFixed(2)} | ${r.big.toFixed(2)} | ${(r.big / r.small).toFixed(2)} | ${r.smallP50.toFixed(0)} / ${r.bigP50.toFixed(0)} | ${(r.smallBytes / 1024).toFixed(1)} / ${(r.bigBytes / 1024).toFixed(1)} |`,
    ),
  ].join("\n");
  console.log(`\n${markdown}\n`);
  writeDocsSection("bench-teams", markdown);
}
