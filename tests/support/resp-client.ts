import net from "node:net";

/**
 * A minimal Redis client over RESP2, for tests only (the project ships no Redis
 * client, and the app itself talks to Redis through Upstash's REST API).
 * Replies come back in the order commands were written, so one FIFO of waiting
 * callers matches every reply to its command, however many are in flight.
 */

/** An error reply (`-ERR ...`): a value, because it can also sit inside an EXEC array. */
export class RedisReplyError extends Error {
  override name = "RedisReplyError";
}

export type RespValue = string | number | Buffer | null | RedisReplyError | RespValue[];

export type RespConnection = {
  /** Writes all commands in one write (so nothing interleaves, e.g. inside MULTI/EXEC) and resolves with their replies. */
  send(commands: string[][]): Promise<RespValue[]>;
  close(): Promise<void>;
};

type Waiter = { resolve: (value: RespValue) => void; reject: (error: Error) => void };

export function encodeCommand(args: string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(""));
}

/** Parses one reply starting at `offset`; undefined when the buffer does not hold all of it yet. */
export function parseReply(buffer: Buffer, offset = 0): { value: RespValue; next: number } | undefined {
  const lineEnd = buffer.indexOf("\r\n", offset);
  if (lineEnd === -1) return undefined;
  const type = String.fromCharCode(buffer[offset] ?? 0);
  const line = buffer.toString("utf8", offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case "+":
      return { value: line, next: afterLine };
    case "-":
      return { value: new RedisReplyError(line), next: afterLine };
    case ":":
      return { value: Number(line), next: afterLine };
    case "$": {
      const length = Number(line);
      if (length === -1) return { value: null, next: afterLine };
      if (buffer.length < afterLine + length + 2) return undefined;
      return { value: buffer.subarray(afterLine, afterLine + length), next: afterLine + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count === -1) return { value: null, next: afterLine };
      const items: RespValue[] = [];
      let next = afterLine;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, next);
        if (!item) return undefined;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`Unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

export function connectRedis(options: {
  host: string;
  port: number;
  connectTimeoutMs?: number;
}): Promise<RespConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host: options.host, port: options.port });
    const waiting: Waiter[] = [];
    let unread: Buffer = Buffer.alloc(0);
    let failure: Error | undefined;

    const failAll = (error: Error) => {
      failure ??= error;
      for (const waiter of waiting.splice(0)) waiter.reject(failure);
    };

    socket.setNoDelay(true);
    socket.setTimeout(options.connectTimeoutMs ?? 2000, () => socket.destroy(new Error("Redis connection timed out")));
    socket.on("error", (error) => {
      failAll(error);
      reject(error);
    });
    socket.on("close", () => failAll(new Error("Redis connection closed")));
    socket.on("data", (chunk) => {
      unread = unread.length ? Buffer.concat([unread, chunk]) : chunk;
      let offset = 0;
      for (let reply = parseReply(unread, offset); reply; reply = parseReply(unread, offset)) {
        offset = reply.next;
        waiting.shift()?.resolve(reply.value);
      }
      unread = unread.subarray(offset);
    });
    socket.once("connect", () => {
      socket.setTimeout(0);
      resolve({
        send(commands) {
          if (failure) return Promise.reject(failure);
          const replies = commands.map(
            () =>
              new Promise<RespValue>((resolveReply, rejectReply) =>
                waiting.push({ resolve: resolveReply, reject: rejectReply }),
              ),
          );
          socket.write(Buffer.concat(commands.map(encodeCommand)));
          return Promise.all(replies);
        },
        close() {
          return new Promise((done) => {
            if (socket.destroyed) return done();
            socket.once("close", () => done());
            socket.end();
          });
        },
      });
    });
  });
}
