import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { requestIdFrom } from "@/lib/http";
import { noteRequestUser, requestIdMixin } from "./request-context";
import { routeForLog, startRequestLog } from "./request-log";

// A logger like the app's (same mixin) that writes its JSON lines into an array.
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
const log = pino({ level: "debug", base: undefined, mixin: requestIdMixin }, sink);

let server: Server;
let base = "";
let stop = () => {};

beforeAll(async () => {
  stop = startRequestLog(log);
  // Stands in for Next's handler: it logs on its own, from async work, as a route does.
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (url.searchParams.has("user")) noteRequestUser(url.searchParams.get("user")!);
    log.info({ seenId: requestIdFrom(req.headers) }, "inside the handler");
    log.child({ job: "send-email" }).info("a child logger's line");
    res.statusCode = url.pathname === "/missing" ? 404 : 200;
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  stop();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  lines.length = 0;
});

const requestLines = () => lines.filter((line) => line.msg === "request");
/** The request line is written once the response has finished, which may be after fetch resolved: wait for it. */
const requestLinesArrived = (count: number) =>
  vi.waitFor(() => expect(requestLines()).toHaveLength(count), { timeout: 10_000, interval: 10 });

describe("the per-request log line", () => {
  it("writes one line per request with id, route, status, duration and user, and returns the id in x-request-id", async () => {
    const response = await fetch(`${base}/dashboard?user=user-42&token=secret-token-value&email=ann@example.com`);
    await requestLinesArrived(1);
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestLines()).toHaveLength(1);
    expect(requestLines()[0]).toMatchObject({
      level: 30,
      requestId,
      method: "GET",
      route: "/dashboard",
      status: 200,
      userId: "user-42",
    });
    expect(requestLines()[0]!.durationMs).toBeGreaterThanOrEqual(4);
    // The query string (tokens, emails) never reaches the log.
    expect(JSON.stringify(lines)).not.toMatch(/secret-token-value|ann@example\.com/);
  });

  it("puts the request id on every line the request writes, and the route sees the same id in its headers", async () => {
    const response = await fetch(`${base}/missing`, { headers: { "x-request-id": "req-from-the-caller" } });
    await requestLinesArrived(1);
    expect(response.headers.get("x-request-id")).toBe("req-from-the-caller");
    expect(lines.map((line) => [line.msg, line.requestId])).toEqual([
      ["inside the handler", "req-from-the-caller"],
      ["a child logger's line", "req-from-the-caller"],
      ["request", "req-from-the-caller"],
    ]);
    expect(lines[0]!.seenId).toBe("req-from-the-caller");
    expect(requestLines()[0]).toMatchObject({ status: 404, route: "/missing" });
  });

  it("refuses a forged request id and makes a new one", async () => {
    const response = await fetch(`${base}/`, { headers: { "x-request-id": 'x"} {"level":60' } });
    await requestLinesArrived(1);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestLines()[0]!.requestId).toBe(response.headers.get("x-request-id"));
  });

  it("concurrent requests never share an id", async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${base}/`)));
    await requestLinesArrived(20);
    const ids = responses.map((response) => response.headers.get("x-request-id"));
    expect(new Set(ids).size).toBe(20);
    for (const id of ids) {
      expect(lines.filter((line) => line.requestId === id).map((line) => line.msg)).toEqual([
        "inside the handler",
        "a child logger's line",
        "request",
      ]);
    }
  });
});

describe("routeForLog", () => {
  it("drops the query and masks token-like path segments, keeping ids readable", () => {
    expect(routeForLog("/api/auth/reset-password/Ab3dEf6hIj9kLm2nOp5qRs8t?callbackURL=/x")).toBe(
      "/api/auth/reset-password/:redacted",
    );
    expect(routeForLog("/dashboard/recipes/3f1e2d4c-1111-4222-8333-944455556666/edit")).toBe(
      "/dashboard/recipes/3f1e2d4c-1111-4222-8333-944455556666/edit",
    );
    expect(routeForLog("/?email=ann@example.com")).toBe("/");
  });
});
