/**
 * The measurement behind `npm run bench -- --realtime` (scripts/bench/realtime.ts owns
 * the harness: build, database, server): many users each hold one open
 * `/api/events` stream on a production server; events are published the way
 * the app publishes them (`publishRealtimeEvent` in a transaction) and timed
 * from the moment COMMIT is sent to the moment the client has read the event.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";

export type RealtimeBenchOptions = {
  base: string;
  /** The server's process id, for its memory (the process and its children). */
  serverPid: number;
  streams: number;
  rssOfTree(pid: number): number;
};

export type LatencySummary = { count: number; lost: number; p50: number; p99: number; max: number };

export type RealtimeBenchResult = {
  streams: number;
  /** Server RSS before and after the streams opened, in bytes. */
  rssBefore: number;
  rssAfter: number;
  /** One event at a time, each awaited: latency without queueing. */
  sequential: LatencySummary;
  /** One event for every user at once (10 publishers in parallel). */
  burst: LatencySummary;
  /** Events a stream received that belonged to another user (must be 0). */
  misdelivered: number;
};

type Publish = (userId: string, marker: string) => Promise<{ id: number; committing: number }>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Signs a new user up through Better Auth's API; returns their id and session cookie. */
async function signUp(base: string, index: number) {
  const tag = `${Date.now().toString(36)}-${index}`;
  const response = await fetch(`${base}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ name: `Bench ${tag}`, email: `bench-rt-${tag}@example.com`, password: `bench-${tag}-pw` }),
  });
  if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const { user } = (await response.json()) as { user: { id: string } };
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { id: user.id, cookie };
}

/** One open SSE stream; records when each event id arrived (performance.now()). */
function openStream(base: string, cookie: string) {
  const arrivals = new Map<number, { at: number; data: string }>();
  let buffer = "";
  let resolveReady!: () => void;
  let failed!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((resolveReady = resolve), (failed = reject)));
  const request = http.get(`${base}/api/events`, { headers: { cookie, accept: "text/event-stream" } }, (response) => {
    if (response.statusCode !== 200) return failed(new Error(`GET /api/events answered ${response.statusCode}`));
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      const at = performance.now();
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) => block.match(new RegExp(`^${name}: (.*)$`, "m"))?.[1];
        if (field("event") === "ready") resolveReady();
        else if (field("id")) arrivals.set(Number(field("id")), { at, data: field("data") ?? "" });
      }
    });
  });
  request.on("error", (error) => failed(error)); // also on destroy() at the end, when nobody waits any more
  return { ready, arrivals, close: () => request.destroy() };
}

function summarize(latencies: number[], lost: number): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { count: sorted.length, lost, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN };
}

/** Waits until the stream has the event, up to `timeoutMs`; returns its arrival time or null. */
async function arrivalOf(stream: ReturnType<typeof openStream>, id: number, timeoutMs = 5_000) {
  const deadline = performance.now() + timeoutMs;
  while (!stream.arrivals.has(id) && performance.now() < deadline) await sleep(1);
  return stream.arrivals.get(id)?.at ?? null;
}

/** The server's RSS once it has settled: the median of a few samples. */
async function settledRss(pid: number, rssOfTree: (pid: number) => number) {
  await sleep(3_000);
  const samples = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssOfTree(pid));
    await sleep(200);
  }
  return samples.sort((a, b) => a - b)[2]!;
}

export async function measureRealtimeFanOut(
  options: RealtimeBenchOptions,
  publish: Publish,
): Promise<RealtimeBenchResult> {
  const { base, serverPid, streams: count, rssOfTree } = options;

  console.log(`  signing up ${count} users…`);
  const users: { id: string; cookie: string }[] = [];
  for (let i = 0; i < count; i += 4) {
    users.push(...(await Promise.all([0, 1, 2, 3].filter((j) => i + j < count).map((j) => signUp(base, i + j)))));
  }
  // Warm the route (its code loads on first use) and the LISTEN, then let the sign-ups' email jobs finish.
  const warm = openStream(base, users[0]!.cookie);
  await warm.ready;
  warm.close();

  const rssBefore = await settledRss(serverPid, rssOfTree);
  console.log(`  opening ${count} streams…`);
  const streams = users.map((user) => openStream(base, user.cookie));
  await Promise.all(streams.map((stream) => stream.ready));
  const rssAfter = await settledRss(serverPid, rssOfTree);

  try {
    const ownMarker = (i: number, round: string) => `${round}-${i}`;
    console.log("  publishing one event at a time…");
    const sequential: number[] = [];
    let lostSequential = 0;
    for (const round of ["warm-up", "measured"]) {
      for (const [i, user] of users.entries()) {
        const { id, committing } = await publish(user.id, ownMarker(i, round));
        const at = await arrivalOf(streams[i]!, id);
        if (round === "warm-up") continue;
        if (at === null) lostSequential += 1;
        else sequential.push(at - committing);
      }
    }

    console.log("  publishing one event to every user at once…");
    const published: { i: number; id: number; committing: number }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = next++; i < users.length; i = next++) {
          published.push({ i, ...(await publish(users[i]!.id, ownMarker(i, "burst"))) });
        }
      }),
    );
    const burst: number[] = [];
    let lostBurst = 0;
    for (const { i, id, committing } of published) {
      const at = await arrivalOf(streams[i]!, id);
      if (at === null) lostBurst += 1;
      else burst.push(at - committing);
    }

    // Every event names the stream it was meant for: any other is a leak between users.
    let misdelivered = 0;
    for (const [i, stream] of streams.entries()) {
      for (const { data } of stream.arrivals.values()) {
        const recipeId = (JSON.parse(data) as { recipeId?: string }).recipeId;
        if (recipeId && !recipeId.endsWith(`-${i}`)) misdelivered += 1;
      }
    }
    return {
      streams: count,
      rssBefore,
      rssAfter,
      sequential: summarize(sequential, lostSequential),
      burst: summarize(burst, lostBurst),
      misdelivered,
    };
  } finally {
    for (const stream of streams) stream.close();
  }
}
