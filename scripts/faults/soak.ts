/**
 * (e) A soak: two instances under mixed traffic for FAULTS_SOAK_SECONDS (600) on PostgreSQL, after a
 * minute's warm-up. Resident memory must stay flat (sampled every 15 s: the peaks of the last third
 * against those of the first), the connections never above the budget (DATABASE_POOL_MAX plus the LISTEN, per
 * instance), and once the traffic stops for longer than the pool's idle timeout, no more
 * connections held than after the warm-up. Every webhook accepted is processed once.
 */
import { instanceEnv, Instance, poolMax, sleep, type Database } from "./cluster";
import { appConnections, sweepUntilProcessed, type ProcessingReport } from "./checks";
import { burst, emptyBurstReport, openEventStream, request, sendContact, signedStripeEvent, signUp } from "./traffic";

export type SoakSample = { atSeconds: number; rssMiB: number[]; connections: number };

export type SoakResult = {
  seconds: number;
  requests: Record<string, number>;
  samples: SoakSample[];
  /** The first and the last minute of the soak (means of their samples). */
  start: { rssMiB: number[]; connections: number };
  end: { rssMiB: number[]; connections: number };
  /** Each instance's highest memory in the first and in the last third of the soak (MiB). */
  peaks: { first: number; last: number }[];
  /** Connections once the traffic had stopped for longer than the pool's idle timeout: after the warm-up, and at the end. */
  idleConnections: { before: number; after: number };
  maxConnections: number;
  budget: number;
  processing: ProcessingReport;
};

const SAMPLE_EVERY_MS = 15_000;
const WARM_UP_MS = 60_000;
/** Longer than the pool's idle timeout (20 s, lib/db/client.ts): connections left open then are held, not idle. */
const QUIET_MS = 25_000;
/** How much higher the memory's peaks may be in the last third of the soak than in the first and still count as flat. */
const PEAK_GROWTH_ALLOWED = 0.1;
const PEAK_GROWTH_FLOOR_MIB = 32;
/** A soak shorter than this holds too few garbage-collection cycles for its memory to be judged. */
const MEMORY_JUDGED_FROM_SECONDS = 300;

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

export async function soak(db: Database, ports: [number, number], seconds: number): Promise<SoakResult> {
  const [a, b] = ports.map((port, i) => new Instance(i ? "B" : "A", port, instanceEnv(db.url, port)));
  const instances = [a!, b!];
  const budget = instances.length * (poolMax + 1);
  try {
    await Promise.all(instances.map((instance) => instance.start()));
    const user = await signUp(a!.base);
    const requests: Record<string, number> = {};
    const count = (what: string) => (requests[what] = (requests[what] ?? 0) + 1);
    const events = emptyBurstReport();

    /** Every kind of traffic, each at its own pace and alternating between the instances, for `ms`. */
    const traffic = (ms: number) => {
      const until = Date.now() + ms;
      const running = () => Date.now() < until;
      return Promise.all([
        // Webhooks, about 10 a second.
        (async () => {
          while (running()) {
            await burst(
              Array.from({ length: 10 }, () => signedStripeEvent()),
              () => instances,
              events,
              { concurrency: 2 },
            );
            await sleep(1_000);
          }
        })(),
        // Contact messages: two a second from ten senders who come back, each past its ten a minute now and then (429).
        (async () => {
          for (let i = 0; running(); i++) {
            count(`contact ${await sendContact(instances[i % 2]!.base, `soak-${i % 10}@example.com`)}`);
            await sleep(500);
          }
        })(),
        // Pages and health checks.
        (async () => {
          for (let i = 0; running(); i++) {
            const instance = instances[i % 2]!;
            for (const [path, headers] of [
              ["/", {}],
              ["/api/health", {}],
              ["/dashboard", { cookie: user.cookie }],
            ] as const) {
              const outcome = await request(instance.base, path, { headers });
              count(`GET ${path} ${outcome.kind === "answered" ? outcome.status : outcome.kind}`);
            }
            await sleep(250);
          }
        })(),
        // Event streams that come and go: each open for a few seconds, resuming from the last id it saw.
        (async () => {
          let lastId: string | undefined;
          for (let i = 0; running(); i++) {
            const stream = openEventStream(instances[i % 2]!.base, user.cookie, lastId);
            await sleep(4_000);
            lastId = stream.lastId() ?? lastId;
            stream.close();
            count(`GET /api/events ${stream.status() ?? "no answer"}`);
          }
        })(),
      ]);
    };
    const idleConnections = async () => {
      await sleep(QUIET_MS);
      return appConnections(db);
    };

    await traffic(WARM_UP_MS);
    const idleBefore = await idleConnections();
    const started = Date.now();
    const samples: SoakSample[] = [];
    const sample = async () => {
      samples.push({
        atSeconds: Math.round((Date.now() - started) / 1000),
        rssMiB: instances.map((instance) => mib(instance.rss())),
        connections: await appConnections(db),
      });
      console.log(`  soak ${JSON.stringify(samples.at(-1))}`);
    };
    const soaked = traffic(seconds * 1000);
    while (Date.now() - started < seconds * 1000) {
      await sample();
      await sleep(Math.min(SAMPLE_EVERY_MS, Math.max(0, started + seconds * 1000 - Date.now())));
    }
    await soaked;
    await sample();
    const idleAfter = await idleConnections();

    // The first sample is taken as the traffic resumes after the quiet (pools empty, heap just collected): the
    // first minute is the one after it.
    const loaded = samples.slice(1);
    const window = Math.max(1, Math.min(4, Math.floor(loaded.length / 3)));
    const summary = (part: SoakSample[]) => ({
      rssMiB: instances.map((_, i) => Math.round(mean(part.map((s) => s.rssMiB[i]!)) * 10) / 10),
      connections: Math.round(mean(part.map((s) => s.connections)) * 10) / 10,
    });
    const start = summary(loaded.slice(0, window));
    const end = summary(loaded.slice(-window));
    const maxConnections = Math.max(...samples.map((s) => s.connections));

    const { report: processing } = await sweepUntilProcessed(db, events.acceptedIds, instances, () => a!);
    const problems: string[] = [];
    if (maxConnections > budget) problems.push(`${maxConnections} connections, over the budget of ${budget}`);
    // Under traffic the pools grow and shrink with it; once quiet, only the LISTEN connections stay.
    if (idleAfter > idleBefore) problems.push(`${idleAfter} connections held once idle, ${idleBefore} before`);
    // A heap under steady traffic grows and is collected in a sawtooth; a leak makes each peak higher than the
    // last, up to the heap limit every instance runs with (HEAP_LIMIT_MIB in cluster.ts), where the instance
    // dies of it. Too short a soak holds no full cycle: its figures are only reported.
    const thirds = Math.floor(loaded.length / 3);
    const peaks = instances.map((_, i) => ({
      first: Math.max(...loaded.slice(0, thirds).map((s) => s.rssMiB[i]!)),
      last: Math.max(...loaded.slice(-thirds).map((s) => s.rssMiB[i]!)),
    }));
    if (seconds >= MEMORY_JUDGED_FROM_SECONDS)
      instances.forEach((instance, i) => {
        const { first, last } = peaks[i]!;
        if (last - first > Math.max(first * PEAK_GROWTH_ALLOWED, PEAK_GROWTH_FLOOR_MIB))
          problems.push(`${instance.name}'s memory peaked at ${last} MiB in the last third, ${first} MiB in the first`);
      });
    for (const instance of instances)
      if (!instance.running)
        problems.push(`${instance.name} exited during the soak (out of memory at the heap limit?)`);
    if (processing.processed !== processing.accepted || processing.duplicates || processing.missing)
      problems.push(`processing: ${JSON.stringify(processing)}`);
    if (events.dropped || events.retriedAfter5xx || events.refusedThenResent)
      problems.push(
        `webhook deliveries: ${events.dropped} dropped, ${events.retriedAfter5xx} 5xx, ${events.refusedThenResent} refused`,
      );
    const failures = Object.entries(requests).filter(([what]) => / (5\d\d|dropped|refused)$/.test(what));
    if (failures.length) problems.push(`failed requests: ${JSON.stringify(Object.fromEntries(failures))}`);
    if (problems.length) throw new Error(`soak: ${problems.join("; ")}`);

    requests["POST /api/webhooks/stripe 200"] = events.accepted;
    return {
      seconds,
      requests,
      samples,
      start,
      end,
      peaks,
      idleConnections: { before: idleBefore, after: idleAfter },
      maxConnections,
      budget,
      processing,
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
  }
}
