import "server-only";
import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { schema, transaction, type Executor } from "@/lib/db";
import { hasSqlState } from "@/lib/db/status";
import { InvalidRequestError } from "./problem";

const { idempotencyKeys } = schema;

export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
export const IDEMPOTENT_REPLAYED_HEADER = "Idempotent-Replayed";

/** How long a key's first answer is kept and replayed. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** How long a repeat waits for a first request with the same key to finish before it gets 409. */
const IN_FLIGHT_WAIT_MS = 2_000;

/** The answer's headers a replay repeats; the rest (dates, rate limits, request id) belong to each request. */
const KEPT_HEADERS = ["content-type", "location", "etag"];

/** 1 to 255 visible ASCII characters: a UUID is the usual choice. */
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

export type IdempotentRequest = { teamId: string; key: string; method: string; path: string; body: Uint8Array };

/** The `Idempotency-Key` header's value, if the request has one; 400 when it is malformed. */
export function idempotencyKeyOf(req: Request): string | null {
  const key = req.headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key === null) return null;
  if (!KEY_SHAPE.test(key)) {
    throw new InvalidRequestError([
      { header: IDEMPOTENCY_KEY_HEADER, detail: "Use 1 to 255 visible ASCII characters (a UUID, for example)." },
    ]);
  }
  return key;
}

/**
 * Runs a write at most once per team and key (for 24 hours), as `Idempotency-Key` promises:
 *
 * - the key's row is inserted in the same transaction as the write, and the write's answer is stored
 *   on it before the commit, so "done" and "answer kept" happen together, or neither does;
 * - a repeat that arrives while the first runs waits on that row's insert (PostgreSQL makes the
 *   second insert of a key wait for the first transaction), then replays the answer it committed;
 *   a first request that takes longer than the wait leaves the repeat a 409;
 * - the same key with another method, path or body is refused (422), never replayed;
 * - a write that fails rolls back its key with it: only a successful answer is kept, so a client can
 *   retry after an error with the same key.
 *
 * `run` gets the transaction and must do all its database work in it.
 */
export async function idempotent(
  db: Executor,
  request: IdempotentRequest,
  run: (tx: Executor) => Promise<Response>,
): Promise<Response> {
  const requestHash = hashRequest(request);
  const where = and(eq(idempotencyKeys.organizationId, request.teamId), eq(idempotencyKeys.key, request.key));
  return transaction(db, async (tx) => {
    await tx
      .delete(idempotencyKeys)
      .where(and(where, lt(idempotencyKeys.createdAt, new Date(Date.now() - IDEMPOTENCY_WINDOW_MS))));
    const claimed = await claim(tx, { ...request, requestHash });
    if (!claimed) {
      const [first] = await tx.select().from(idempotencyKeys).where(where);
      if (!first || first.state !== "done") throw stillRunning();
      if (first.requestHash !== requestHash) {
        throw new AppError(
          "unprocessable",
          "This Idempotency-Key was already used for a different request in the last 24 hours. Use a new key.",
          { reason: "idempotency-key-reused" },
        );
      }
      return replay(first);
    }
    const response = await run(tx);
    const body = await response.text();
    const headers = Object.fromEntries(KEPT_HEADERS.flatMap((name) => pick(response.headers, name)));
    if (!response.ok) {
      // Not an answer to keep: free the key for a retry (handlers throw their errors; this is the exception).
      await tx.delete(idempotencyKeys).where(where);
    } else {
      await tx
        .update(idempotencyKeys)
        .set({ state: "done", responseStatus: response.status, responseBody: body, responseHeaders: headers })
        .where(where);
    }
    return new Response(body || null, { status: response.status, headers: response.headers });
  });
}

/** Inserts the key's row, or finds it taken: waits (at most IN_FLIGHT_WAIT_MS) for a first request still running. */
async function claim(tx: Executor, request: IdempotentRequest & { requestHash: string }) {
  try {
    await tx.execute(sql`select set_config('lock_timeout', ${`${IN_FLIGHT_WAIT_MS}ms`}, true)`);
    const [row] = await tx
      .insert(idempotencyKeys)
      .values({
        organizationId: request.teamId,
        key: request.key,
        method: request.method,
        path: request.path,
        requestHash: request.requestHash,
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    await tx.execute(sql`select set_config('lock_timeout', '0', true)`);
    return Boolean(row);
  } catch (error) {
    if (hasSqlState(error, "55P03")) throw stillRunning();
    throw error;
  }
}

const stillRunning = () =>
  new AppError("conflict", "A request with this Idempotency-Key is still running. Retry in a moment for its answer.", {
    reason: "idempotency-key-in-flight",
    retryAfterSeconds: 1,
  });

function replay(first: typeof idempotencyKeys.$inferSelect): Response {
  const headers = new Headers(first.responseHeaders ?? {});
  headers.set(IDEMPOTENT_REPLAYED_HEADER, "true");
  return new Response(first.responseBody || null, { status: first.responseStatus ?? 200, headers });
}

function hashRequest({ method, path, body }: IdempotentRequest) {
  return createHash("sha256").update(`${method} ${path}\n`).update(body).digest("hex");
}

function pick(headers: Headers, name: string): [string, string][] {
  const value = headers.get(name);
  return value === null ? [] : [[name, value]];
}

/** Retention: keys past their 24 hours, at most `limit` per call (the retention job repeats it). */
export async function deleteExpiredIdempotencyKeys(db: Executor, now: Date, limit: number): Promise<number> {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS);
  const deleted = await db
    .delete(idempotencyKeys)
    .where(
      // postgres.js takes no Date inside raw SQL: the cutoff goes as text, cast back.
      sql`ctid in (select ctid from ${idempotencyKeys}
        where ${idempotencyKeys.createdAt} < ${cutoff.toISOString()}::timestamptz limit ${limit})`,
    )
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
