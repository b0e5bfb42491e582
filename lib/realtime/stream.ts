import "server-only";
import type { Executor } from "@/lib/db";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { logger } from "@/lib/core/logger";
import { latestRealtimeEventId, listRealtimeEventsAfter, type RealtimeEvent, type RealtimeViewer } from "./events";
import { realtimeHub, type RealtimeSubscriber } from "./hub";

/** Comment lines keep proxies and load balancers from closing an idle stream (the contract says at least every 25 s). */
export const HEARTBEAT_MS = 20_000;
/** How long the browser waits before reconnecting after a stream ends (the SSE `retry:` field). */
export const RECONNECT_DELAY_MS = 1_000;
/** After a shutdown, browsers reconnect within this long, each at a random moment, not all at once. */
export const SHUTDOWN_RECONNECT_SPREAD_MS = 5_000;
const shutdownReconnectDelayMs = () => RECONNECT_DELAY_MS + Math.floor(Math.random() * SHUTDOWN_RECONNECT_SPREAD_MS);

/** Under Vercel's `maxDuration` (300 s on /api/events): the stream ends itself first, so the browser reconnects cleanly. */
export const VERCEL_STREAM_LIFETIME_MS = 280_000;
export const DEFAULT_STREAMS_PER_USER = 5;
const REPLAY_PAGE = 500;
/** A client that stops reading gets closed rather than buffered for without end. */
const MAX_QUEUED_CHUNKS = 1_000;
/** Ids already written, for deduplicating a replay against live events that raced it. */
const REMEMBERED_IDS = 1_000;

/**
 * Headers that keep every hop from holding events back: no caching, no
 * transformation (Next's gzip and CDNs skip `no-transform`), and nginx-style
 * proxies told not to buffer.
 */
export const REALTIME_STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
} as const;

/** How long one stream may stay open: a limit on Vercel, none on a long-lived server (Render, `next start`). */
export function streamLifetimeMs(): number | null {
  if (env.REALTIME_STREAM_MAX_SECONDS) return env.REALTIME_STREAM_MAX_SECONDS * 1000;
  return env.VERCEL === "1" ? VERCEL_STREAM_LIFETIME_MS : null;
}

/**
 * `Last-Event-ID` (sent by EventSource when it reconnects) or the
 * `lastEventId` query parameter (our hook's own reconnects): null when absent,
 * an `invalid` AppError when it is not an event id.
 */
export function parseLastEventId(req: Request): number | null {
  const raw = req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("lastEventId");
  if (raw === null || raw === "") return null;
  if (!/^\d{1,15}$/.test(raw))
    throw new AppError("invalid", "Last-Event-ID must be an event id.", { reason: "invalid-last-event-id" });
  return Number(raw);
}

export type OpenStreamOptions = {
  /** Whose stream it is: the user's own events and their teams' (`listTeamIdsOf` in lib/teams). */
  viewer: RealtimeViewer;
  /** The session the stream is opened with: when it ends (revoked, signed out, deleted), the stream closes. */
  sessionId: string;
  lastEventId: number | null;
  /** The request's signal: aborts when the client goes away. */
  signal: AbortSignal;
  requestId?: string;
  /** Defaults to `streamLifetimeMs()`. */
  lifetimeMs?: number | null;
};

const encoder = new TextEncoder();
const frame = (event: RealtimeEvent) =>
  encoder.encode(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);

/**
 * An SSE stream of the audience's events: first what was missed after
 * `lastEventId` (in id order), then live events from the process's one LISTEN.
 * Throws when the database cannot be reached (the route answers 503).
 */
export async function openRealtimeStream(
  db: Executor,
  options: OpenStreamOptions,
): Promise<ReadableStream<Uint8Array>> {
  const { signal } = options;
  const viewer = { userId: options.viewer.userId, teamIds: new Set(options.viewer.teamIds) };
  // Replays ask for the teams the viewer belongs to now (a team they left mid-stream is dropped).
  const asViewer = (): RealtimeViewer => ({ userId: viewer.userId, teamIds: [...viewer.teamIds] });
  const hub = realtimeHub();
  await hub.ensureListening();
  const log = logger.child({
    feature: "realtime",
    requestId: options.requestId,
    userId: viewer.userId,
  });

  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let live = false;
  let cursor = 0;
  const held: RealtimeEvent[] = [];
  const written = new Set<number>();
  const timers: NodeJS.Timeout[] = [];

  const enqueue = (chunk: Uint8Array) => {
    if (closed) return;
    if ((controller.desiredSize ?? 0) < -MAX_QUEUED_CHUNKS) return subscriber.close("too-slow");
    controller.enqueue(chunk);
  };
  const write = (event: RealtimeEvent) => {
    if (written.has(event.id)) return;
    written.add(event.id);
    if (written.size > REMEMBERED_IDS) written.delete(written.values().next().value!);
    cursor = Math.max(cursor, event.id);
    enqueue(frame(event));
  };
  // Live events wait while a replay runs, then go out after it without duplicates.
  const replayFrom = async (afterId: number) => {
    live = false;
    for (let from = afterId; ;) {
      const page = await listRealtimeEventsAfter(db, asViewer(), from, REPLAY_PAGE);
      for (const event of page) write(event);
      if (page.length < REPLAY_PAGE) break;
      from = page.at(-1)!.id;
    }
    live = true;
    for (const event of held.splice(0)) write(event);
  };

  const subscriber: RealtimeSubscriber = {
    viewer,
    sessionId: options.sessionId,
    openedAt: Date.now(),
    deliver: (event) => (live ? write(event) : void held.push(event)),
    catchUp: () => replayFrom(cursor),
    close: (reason) => {
      if (closed) return;
      // Both tell the browser not to reconnect: another tab took the place, or the session is gone.
      if (reason === "superseded" || reason === "session-ended")
        enqueue(encoder.encode(`event: ${reason}\ndata: {}\n\n`));
      // The server is shutting down: spread the browsers' reconnects (to other instances) over a few seconds.
      if (reason === "shutdown") enqueue(encoder.encode(`retry: ${shutdownReconnectDelayMs()}\n\n`));
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      hub.remove(subscriber);
      try {
        controller.close();
      } catch {
        // Already closed or cancelled by the client.
      }
      log.info({ reason, openStreams: hub.openStreams }, "realtime stream closed");
    },
  };
  const onAbort = () => subscriber.close("client-gone");

  const stream = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => subscriber.close("client-gone"),
  });
  const audienceStreams = hub.add(subscriber, env.REALTIME_STREAMS_PER_USER ?? DEFAULT_STREAMS_PER_USER);
  signal.addEventListener("abort", onAbort);
  if (signal.aborted) onAbort();

  try {
    const start = options.lastEventId ?? (await latestRealtimeEventId(db, asViewer()));
    cursor = start;
    // `ready` carries the starting id, so even a stream that saw no events resumes from here.
    enqueue(encoder.encode(`retry: ${RECONNECT_DELAY_MS}\nid: ${start}\nevent: ready\ndata: {}\n\n`));
    await replayFrom(start);
  } catch (error) {
    subscriber.close("error");
    throw error;
  }

  const heartbeat = setInterval(() => enqueue(encoder.encode(": heartbeat\n\n")), HEARTBEAT_MS);
  timers.push(heartbeat);
  const lifetime = options.lifetimeMs === undefined ? streamLifetimeMs() : options.lifetimeMs;
  if (lifetime) timers.push(setTimeout(() => subscriber.close("time-limit"), lifetime));
  log.info(
    { audienceStreams, openStreams: hub.openStreams, replayedFrom: options.lastEventId },
    "realtime stream opened",
  );
  return stream;
}
