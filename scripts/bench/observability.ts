import { startFakeIngest } from "../../tests/support/fake-ingest";
import { machineLine, writeDocsSection } from "./markdown";
import { benchDatabase, ROUTE_NAMES, type Row } from "./routes";

/**
 * The cost of Sentry and PostHog per request: each route with both off and
 * with both on (against a local fake ingest), back to back on fresh servers,
 * alternating which goes first, so drift in the machine's load falls on both.
 * The CPU each request costs the server is the figure to read.
 */
export async function benchObservability() {
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
