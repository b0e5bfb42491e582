import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { GET as events } from "@/app/api/events/route";
import { GET as health } from "@/app/api/health/route";
import { db } from "@/lib/db";
import { defineJob, enqueue } from "@/lib/jobs";
import { claimDueWebhookEvents } from "@/lib/webhooks/process";
import { setEnv } from "@/tests/support/env";
import { headers as fakeBrowserHeaders } from "@/tests/support/next/headers";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { findEvent, justAfter, recordHandled, registerTestProvider, storeEvent } from "@/tests/support/webhooks";
import { signUpTestUser } from "@/tests/support/users";
import { drainOnSignals, drainServer, isDraining } from ".";

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

/** A server with one slow route, whose answer the test releases: a request in flight during the shutdown. */
function serverWithSlowRoute() {
  let answer!: () => void;
  const answerSlowRequest = new Promise<void>((resolve) => (answer = resolve));
  const arrived: string[] = [];
  const server = http.createServer((req, res) => {
    arrived.push(req.url ?? "");
    if (req.url === "/slow") void answerSlowRequest.then(() => res.end("done"));
    else res.end("ok");
  });
  return { server, arrived, answer };
}

const listen = (server: http.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );

/** A GET on a connection of its own (no keep-alive): its status and body, or the error code of a refused connection. */
const get = (port: number, path: string) =>
  new Promise<{ status?: number; body?: string; error?: string }>((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code }));
  });

async function openEventStream() {
  const cookie = (await fakeBrowserHeaders()).get("cookie");
  return events(new Request("http://localhost/api/events", { headers: { ...(cookie && { cookie }) } }));
}

async function readAll(body: ReadableStream<Uint8Array>) {
  let text = "";
  const decoder = new TextDecoder();
  const reader = body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
    text += decoder.decode(chunk.value, { stream: true });
  return text;
}

// The first sign-up migrates the database and warms Better Auth: a hook's timeout, not a test's.
beforeAll(() => signUpTestUser(), 180_000);

// A drain is the end of a server's life: these tests run in order, the first drains, the second drains through a signal.
describe("a server that shuts down (drainServer)", () => {
  const { server, arrived, answer } = serverWithSlowRoute();
  afterAll(() => server.closeAllConnections());

  it("stops taking connections, answers what is in flight, ends event streams with a retry:, waits for jobs until the deadline, gives claimed events back and closes the pool", async () => {
    const port = await listen(server);
    // A request in flight.
    const slow = get(port, "/slow");
    await until(() => arrived.includes("/slow"));
    // An open event stream.
    const stream = await openEventStream();
    expect(stream.status).toBe(200);
    const streamText = readAll(stream.body!);
    // A job that outlives the deadline.
    const job = defineJob("endless", z.object({}), () => new Promise(() => {}));
    await enqueue(job, {});
    void flushAfterResponse();
    // A webhook event this server's sweeper had claimed.
    const provider = registerTestProvider({ "thing.happened": recordHandled });
    const event = await storeEvent(provider);
    const claimed = await claimDueWebhookEvents(db, {
      providers: [provider],
      now: justAfter(event),
      limit: 1,
      pendingGraceMs: 0,
    });
    expect(claimed).toHaveLength(1);

    const drained = drainServer(Date.now() + 1_500, { servers: [server], keepServingMs: 0 });

    expect(isDraining()).toBe(true);
    expect((await health(new Request("http://localhost/api/health"))).status).toBe(503);
    // The stream is ended at once, telling the browser to reconnect (to another instance) within a few seconds.
    const text = await streamText;
    const retry = Number(text.match(/retry: (\d+)\n\n$/)?.[1]);
    expect(retry).toBeGreaterThanOrEqual(1_000);
    expect(retry).toBeLessThanOrEqual(6_000);
    // A new stream is refused: 503, retry soon (elsewhere).
    const refused = await openEventStream();
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    // New connections are refused, so a balancer or client goes to another instance. The socket
    // closes once the (here zero) keep-serving delay's timer fires: a connection made before that
    // would wait in the accept queue and be reset instead.
    await until(() => !server.listening);
    expect(await get(port, "/new")).toEqual({ error: "ECONNREFUSED" });
    // The request in flight still gets its answer.
    answer();
    expect(await slow).toEqual({ status: 200, body: "done" });

    const report = await drained;

    expect(report).toMatchObject({
      requestsFinished: true,
      jobsUnfinished: 1,
      released: { webhookEvents: 1, emails: 0 },
    });
    expect(report.seconds).toBeLessThan(5);
    expect(arrived).not.toContain("/new");
    // The pool was closed; the next query opens a new one (on the embedded database, a new empty one).
    const after = await findEvent(provider, event.eventId);
    if (process.env.DATABASE_URL) expect(after).toMatchObject({ status: "pending", attempts: 0, lockedAt: null });
  });

  it("is what SIGTERM does under `npm start` (NEXT_MANUAL_SIG_HANDLE): drain, then exit 0; a second signal changes nothing", async () => {
    setEnv({ NEXT_MANUAL_SIG_HANDLE: "1", SHUTDOWN_DRAIN_SECONDS: "1" });
    const before = { SIGTERM: process.listeners("SIGTERM"), SIGINT: process.listeners("SIGINT") };
    const exits: number[] = [];
    try {
      drainOnSignals((code) => exits.push(code));
      process.emit("SIGTERM");
      process.emit("SIGTERM");
      await until(() => exits.length > 0);
      expect(exits).toEqual([0]);
    } finally {
      for (const signal of ["SIGTERM", "SIGINT"] as const)
        for (const listener of process.listeners(signal))
          if (!before[signal].includes(listener)) process.removeListener(signal, listener);
    }
  });

  it("leaves signals to Next when NEXT_MANUAL_SIG_HANDLE is unset (`next start` alone): no listener is added", () => {
    setEnv({ NEXT_MANUAL_SIG_HANDLE: undefined });
    const before = process.listenerCount("SIGTERM");
    drainOnSignals(() => {});
    expect(process.listenerCount("SIGTERM")).toBe(before);
  });
});
