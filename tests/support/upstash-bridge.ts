import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { connectRedis, RedisReplyError, type RespValue } from "./resp-client";

/**
 * A test-only stand-in for Upstash's REST API, in front of a real Redis, so the
 * real @upstash/redis and @upstash/ratelimit run unchanged in tests. It speaks
 * what those clients use: POST `/` (one command), `/pipeline` and `/multi-exec`
 * (a list of commands), `Authorization: Bearer <token>`, replies `{result}` or
 * `{error}`, and base64 strings when asked with `Upstash-Encoding: base64`.
 */

export type UpstashBridge = { url: string; token: string; close(): Promise<void> };

type Reply = { status: number; body: unknown };

const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

function redisAddress(redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL) {
  const url = new URL(redisUrl);
  return { host: url.hostname, port: Number(url.port || 6379) };
}

/** Whether a Redis answers PING at REDIS_URL (default 127.0.0.1:6379); `detail` says where, or why not. */
export async function redisReachable(redisUrl?: string): Promise<{ reachable: boolean; detail: string }> {
  const { host, port } = redisAddress(redisUrl);
  const where = `${host}:${port}`;
  try {
    const connection = await connectRedis({ host, port, connectTimeoutMs: 1000 });
    try {
      const noAnswer = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("no answer to PING within 1 s")), 1000).unref(),
      );
      const [pong] = await Promise.race([connection.send([["PING"]]), noAnswer]);
      return pong === "PONG"
        ? { reachable: true, detail: where }
        : { reachable: false, detail: `${where} answered PING with ${String(pong)}` };
    } finally {
      await connection.close();
    }
  } catch (error) {
    return {
      reachable: false,
      detail: `${where}: ${error instanceof Error ? error.message || error.name : String(error)}`,
    };
  }
}

export async function startUpstashBridge(options: { token: string; redisUrl?: string }): Promise<UpstashBridge> {
  const redis = await connectRedis(redisAddress(options.redisUrl));
  const toRedis = scriptTranslator();

  async function answer(request: http.IncomingMessage, rawBody: string): Promise<Reply> {
    if (request.method !== "POST") return { status: 405, body: { error: "Only POST is supported" } };
    if (request.headers.authorization !== `Bearer ${options.token}`)
      return { status: 401, body: { error: "Unauthorized" } };
    const base64 = request.headers["upstash-encoding"] === "base64";
    const entry = (reply: RespValue) =>
      reply instanceof RedisReplyError ? { error: reply.message } : { result: toJson(reply, base64) };
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody);
    } catch {
      return { status: 400, body: { error: "The body must be JSON" } };
    }
    const path = new URL(request.url ?? "/", "http://bridge").pathname;

    if (path === "/") {
      if (!isCommand(payload)) return { status: 400, body: { error: "Expected one command: a non-empty JSON array" } };
      const [reply] = await redis.send([toRedis(payload)]);
      return { status: reply instanceof RedisReplyError ? 400 : 200, body: entry(reply ?? null) };
    }
    if (path !== "/pipeline" && path !== "/multi-exec") return { status: 404, body: { error: `Unknown path ${path}` } };
    if (!Array.isArray(payload) || !payload.every(isCommand)) {
      return { status: 400, body: { error: "Expected a JSON array of commands" } };
    }
    const commands = payload.map(toRedis);
    if (path === "/pipeline") return { status: 200, body: (await redis.send(commands)).map(entry) };

    // MULTI ... EXEC go out in one write on the one connection, so no other request's commands land inside the transaction.
    const replies = await redis.send([["MULTI"], ...commands, ["EXEC"]]);
    const executed = replies.at(-1) ?? null;
    if (executed instanceof RedisReplyError) return { status: 400, body: { error: executed.message } };
    return { status: 200, body: Array.isArray(executed) ? executed.map(entry) : [] };
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      answer(request, Buffer.concat(chunks).toString("utf8"))
        .catch((error: unknown): Reply => ({
          status: 500,
          body: { error: error instanceof Error ? error.message : String(error) },
        }))
        .then(({ status, body }) => {
          response.writeHead(status, { "content-type": "application/json" });
          response.end(JSON.stringify(body));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token: options.token,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // fetch keeps connections alive: close them, or server.close() waits for their idle timeout.
      server.closeAllConnections();
      await closed;
      await redis.close();
    },
  };
}

function isCommand(value: unknown): value is unknown[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((arg) => arg === null || ["string", "number", "boolean"].includes(typeof arg))
  );
}

/** Redis replies as Upstash sends them: numbers and null as they are, every string base64-encoded when asked. */
function toJson(value: RespValue, base64: boolean): unknown {
  if (value === null || typeof value === "number") return value;
  if (Array.isArray(value)) return value.map((item) => toJson(item, base64));
  if (value instanceof RedisReplyError) return value.message;
  const bytes = typeof value === "string" ? Buffer.from(value) : value;
  return base64 ? bytes.toString("base64") : bytes.toString("utf8");
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

// Upstash-only shebang flags: @upstash/ratelimit 2.2 marks its scripts `allow-key-locking`, which Redis 7 refuses as unknown.
const UPSTASH_ONLY_SCRIPT_FLAGS = new Set(["allow-key-locking"]);

function withoutUpstashOnlyFlags(script: string): string {
  return script.replace(/^#!lua flags=([^\n]*)/, (_shebang, flags: string) => {
    const kept = flags
      .split(",")
      .map((flag) => flag.trim())
      .filter((flag) => flag && !UPSTASH_ONLY_SCRIPT_FLAGS.has(flag));
    return kept.length ? `#!lua flags=${kept.join(",")}` : "#!lua";
  });
}

/**
 * Turns a JSON command into Redis arguments. EVAL scripts lose Upstash-only flags;
 * EVALSHA of such a script is sent with the SHA Redis knows it by, and an unknown
 * SHA goes through untouched so Redis answers NOSCRIPT and the client falls back to EVAL.
 */
function scriptTranslator() {
  const redisShaFor = new Map<string, string>();
  return (command: unknown[]): string[] => {
    const [name = "", script, ...rest] = command.map(String);
    const upper = name.toUpperCase();
    if ((upper === "EVAL" || upper === "EVAL_RO") && script !== undefined) {
      const runnable = withoutUpstashOnlyFlags(script);
      if (runnable !== script) redisShaFor.set(sha1(script), sha1(runnable));
      return [name, runnable, ...rest];
    }
    if ((upper === "EVALSHA" || upper === "EVALSHA_RO") && script !== undefined) {
      return [name, redisShaFor.get(script.toLowerCase()) ?? script, ...rest];
    }
    return script === undefined ? [name] : [name, script, ...rest];
  };
}
