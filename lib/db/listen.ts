import "server-only";
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { backoffDelayMs } from "@/lib/core/timing";

export type NotificationHandlers = {
  onNotify(payload: string): void;
  /** After every successful LISTEN: the first, and each one after a lost connection came back (notifications in between are gone). */
  onListen(): void;
  /** The connection dropped or a LISTEN failed; it is retried with backoff until `stop()`. */
  onConnectionLost?(error: unknown): void;
};

export type NotificationSubscription = { stop(): Promise<void> };

const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 10_000;

/**
 * LISTEN on Postgres over one dedicated connection. postgres.js `sql.listen`
 * re-listens once after a dropped connection and gives up silently if the
 * server is still down, so this keeps its own connection and retries until
 * the LISTEN succeeds again (a Postgres restart, a killed backend).
 * Resolves once the first LISTEN succeeds; rejects, and stops, if it fails.
 */
export async function listenOnPostgres(
  url: string,
  channel: string,
  handlers: NotificationHandlers,
): Promise<NotificationSubscription> {
  let state: "listening" | "retrying" | "stopped" = "retrying";
  // A function, so TypeScript does not narrow `state` across the awaits below.
  const stopped = () => state === "stopped";
  let attempts = 0;
  let timer: NodeJS.Timeout | undefined;
  // postgres.js reads `onnotify` from its options (its own `listen` is built on it); the type omits it.
  const options: postgres.Options<Record<string, never>> & { onnotify(channel: string, payload: string): void } = {
    max: 1,
    // A listening connection must never be closed for being idle or old.
    idle_timeout: 0,
    max_lifetime: null,
    connect_timeout: 5,
    fetch_types: false,
    onnotice: () => {},
    onnotify: (from, payload) => {
      if (from === channel) handlers.onNotify(payload);
    },
    onclose: () => {
      if (state !== "listening") return;
      state = "retrying";
      handlers.onConnectionLost?.(new Error("the listening connection closed"));
      retry();
    },
  };
  const client = postgres(url, options);
  const listen = () => client.unsafe(`listen "${channel.replace(/"/g, '""')}"`);

  function retry() {
    clearTimeout(timer);
    attempts += 1;
    timer = setTimeout(relisten, backoffDelayMs(attempts, { baseMs: RETRY_BASE_MS, maxMs: RETRY_MAX_MS }));
    timer.unref();
  }

  async function relisten() {
    if (stopped()) return;
    try {
      await listen();
    } catch (error) {
      if (stopped()) return;
      handlers.onConnectionLost?.(error);
      return retry();
    }
    if (stopped()) return;
    state = "listening";
    attempts = 0;
    handlers.onListen();
  }

  const stop = async () => {
    state = "stopped";
    clearTimeout(timer);
    await client.end({ timeout: 2 });
  };

  try {
    await listen();
  } catch (error) {
    await stop();
    throw error;
  }
  state = "listening";
  handlers.onListen();
  return { stop };
}

/** LISTEN on the embedded database: the same process, so there is no connection to lose. */
export async function listenOnEmbedded(
  client: PGlite,
  channel: string,
  handlers: NotificationHandlers,
): Promise<NotificationSubscription> {
  const unlisten = await client.listen(channel, handlers.onNotify);
  handlers.onListen();
  return { stop: () => unlisten() };
}
