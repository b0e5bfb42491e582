import "server-only";
import { db, listenForNotifications, type NotificationSubscription } from "@/lib/db";
import { logger } from "@/lib/logger";
import {
  findRealtimeEvent,
  REALTIME_CHANNEL,
  type RealtimeAudience,
  type RealtimeEvent,
  type RealtimeNotification,
} from "./events";

/** One open stream, as the hub sees it. */
export type RealtimeSubscriber = {
  audience: RealtimeAudience;
  openedAt: number;
  /** A live event for this stream's audience. */
  deliver(event: RealtimeEvent): void;
  /** Re-reads what may have been missed while the listening connection was down. */
  catchUp(): Promise<void>;
  close(reason: "superseded" | "client-gone" | "time-limit" | "too-slow" | "shutdown" | "error"): void;
};

const log = logger.child({ feature: "realtime" });
const keyOf = (audience: RealtimeAudience) => (audience === "dev-tools" ? "dev-tools" : `user:${audience.userId}`);

/**
 * The process's one LISTEN and its open streams, grouped by audience. Kept on
 * globalThis: Next bundles route handlers separately, and every copy of this
 * module must share the one listening connection and see every stream.
 */
class RealtimeHub {
  private readonly streams = new Map<string, Set<RealtimeSubscriber>>();
  private listening: Promise<NotificationSubscription> | null = null;
  private openCount = 0;

  get openStreams() {
    return this.openCount;
  }

  /** Starts the LISTEN on first use; a failed start is retried by the next caller. */
  ensureListening(): Promise<unknown> {
    this.listening ??= listenForNotifications(REALTIME_CHANNEL, {
      onNotify: (payload) => void this.fanOut(payload),
      onListen: () => this.catchUpAll(),
      onConnectionLost: (error) =>
        log.warn({ err: error, openStreams: this.openCount }, "realtime listener lost its connection; reconnecting"),
    }).catch((error: unknown) => {
      this.listening = null;
      throw error;
    });
    return this.listening;
  }

  /** Adds a stream; past `maxPerAudience` the audience's oldest streams are closed. */
  add(subscriber: RealtimeSubscriber, maxPerAudience: number) {
    const key = keyOf(subscriber.audience);
    const group = this.streams.get(key) ?? new Set();
    this.streams.set(key, group);
    group.add(subscriber);
    this.openCount += 1;
    for (const oldest of group) {
      if (group.size <= maxPerAudience) break;
      oldest.close("superseded");
    }
    return group.size;
  }

  remove(subscriber: RealtimeSubscriber) {
    const key = keyOf(subscriber.audience);
    const group = this.streams.get(key);
    if (!group?.delete(subscriber)) return;
    this.openCount -= 1;
    if (group.size === 0) this.streams.delete(key);
  }

  private async fanOut(payload: string) {
    let notification: RealtimeNotification;
    try {
      notification = JSON.parse(payload) as RealtimeNotification;
    } catch {
      return log.warn("realtime notification is not JSON; ignored");
    }
    const group = this.streams.get(keyOf(notification.userId ? { userId: notification.userId } : "dev-tools"));
    // Most events belong to users with no stream on this server.
    if (!group?.size) return;
    const event =
      notification.data === undefined || notification.data === null
        ? await findRealtimeEvent(db, notification.id).catch(() => null)
        : { id: notification.id, type: notification.type, data: notification.data };
    if (!event) return log.warn({ eventId: notification.id }, "realtime event row not found; not fanned out");
    for (const subscriber of group) subscriber.deliver(event);
    log.info(
      {
        eventId: event.id,
        type: event.type,
        streams: group.size,
        openStreams: this.openCount,
        fanOutLatencyMs: Date.now() - notification.at,
      },
      "realtime event fanned out",
    );
  }

  private catchUpAll() {
    for (const group of this.streams.values()) {
      for (const subscriber of group) {
        subscriber.catchUp().catch((error: unknown) => {
          log.warn({ err: error }, "realtime stream could not catch up after a reconnect; closing it");
          subscriber.close("error");
        });
      }
    }
  }

  /** Closes every stream and the LISTEN (tests, shutdown). */
  async stop() {
    for (const group of [...this.streams.values()]) for (const subscriber of [...group]) subscriber.close("shutdown");
    const listening = this.listening;
    this.listening = null;
    await listening?.then((subscription) => subscription.stop()).catch(() => {});
  }
}

const globalForHub = globalThis as unknown as { __realtimeHub?: RealtimeHub };

export function realtimeHub(): RealtimeHub {
  globalForHub.__realtimeHub ??= new RealtimeHub();
  return globalForHub.__realtimeHub;
}
