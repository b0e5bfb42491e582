import { randomUUID } from "node:crypto";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReply } from "./resp-client";
import { redisReachable, startUpstashBridge, type UpstashBridge } from "./upstash-bridge";

const redis = await redisReachable();
// Skipped only on a machine without Redis; CI always has one, so there they run (and fail loudly if it is down).
const withRedis = redis.reachable || Boolean(process.env.CI);
if (!withRedis) console.log(`[tests] Redis unreachable (${redis.detail}): skipping the Upstash bridge tests`);

describe("parseReply (RESP2)", () => {
  it("reads every reply type, and waits for the rest of a reply split across packets", () => {
    const wire = Buffer.from("*5\r\n+OK\r\n-ERR bad\r\n:-3\r\n$-1\r\n*2\r\n$6\r\nh\xc3\xa9llo\r\n*-1\r\n", "latin1");
    const parsed = parseReply(wire);
    expect(parsed?.next).toBe(wire.length);
    const [ok, error, integer, nil, nested] = parsed?.value as unknown[];
    expect([ok, (error as Error).message, integer, nil]).toEqual(["OK", "ERR bad", -3, null]);
    expect(nested).toEqual([Buffer.from("héllo"), null]);
    expect(parseReply(wire.subarray(0, wire.length - 3))).toBeUndefined();
  });
});

describe.skipIf(!withRedis)("the Upstash REST bridge", () => {
  let bridge: UpstashBridge;
  const key = (name: string) => `bridge-test:${randomUUID()}:${name}`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${bridge.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${bridge.token}`, ...headers },
      body: JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: await response.json() }));

  beforeAll(async () => {
    bridge = await startUpstashBridge({ token: randomUUID() });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it("refuses a request without the token", async () => {
    const response = await fetch(bridge.url, {
      method: "POST",
      headers: { authorization: "Bearer wrong" },
      body: '["ping"]',
    });
    expect(response.status).toBe(401);
  });

  it("base64-encodes strings, also inside arrays, when asked; numbers and null stay as they are", async () => {
    const name = key("name");
    await post("/", ["set", name, "héllo", "ex", 60]);

    expect(await post("/", ["mget", name, key("missing")], { "Upstash-Encoding": "base64" })).toEqual({
      status: 200,
      body: { result: [Buffer.from("héllo").toString("base64"), null] },
    });
    expect(await post("/", ["strlen", name], { "Upstash-Encoding": "base64" })).toEqual({
      status: 200,
      body: { result: 6 },
    });
    expect(await post("/", ["get", name])).toEqual({ status: 200, body: { result: "héllo" } });
  });

  it("answers a pipeline with one {result} or {error} per command", async () => {
    const text = key("text");
    const { status, body } = await post("/pipeline", [
      ["set", text, "abc", "ex", 60],
      ["incr", text],
      ["get", text],
    ]);
    expect(status).toBe(200);
    expect(body).toEqual([
      { result: "OK" },
      { error: expect.stringMatching(/^ERR value is not an integer/) },
      { result: "abc" },
    ]);
  });

  it("runs /multi-exec as one transaction", async () => {
    const counter = key("counter");
    expect(
      await post("/multi-exec", [
        ["incr", counter],
        ["incr", counter],
        ["expire", counter, 60],
      ]),
    ).toEqual({
      status: 200,
      body: [{ result: 1 }, { result: 2 }, { result: 1 }],
    });
  });

  it("returns NOSCRIPT as an error for an unknown script SHA", async () => {
    const { status, body } = await post("/", ["evalsha", "0".repeat(40), 0]);
    expect(status).toBe(400);
    expect(body.error).toMatch(/^NOSCRIPT/);
  });

  it("serves the real @upstash/redis client, auto-pipelining and Upstash-flagged scripts included", async () => {
    const client = new Redis({ url: bridge.url, token: bridge.token });
    const hash = key("hash");
    const script = `#!lua flags=allow-key-locking\nreturn redis.call("HINCRBY", KEYS[1], "n", ARGV[1])`;

    await client.hset(hash, { a: "x", b: 2 });
    // Issued in the same tick: the client sends them as one /pipeline request.
    const [stored, missing] = await Promise.all([client.hgetall(hash), client.get(key("none"))]);
    const viaEval = await client.eval(script, [hash], ["5"]);
    const viaCreatedScript = await client.createScript<number>(script).exec([hash], ["1"]);
    await client.del(hash);

    expect(stored).toEqual({ a: "x", b: 2 });
    expect(missing).toBeNull();
    expect([viaEval, viaCreatedScript]).toEqual([5, 6]);
  });
});
