import "server-only";
import { db, listenForNotifications, type NotificationSubscription } from "@/lib/db";
import { AppError } from "@/lib/core/errors";
import { logger } from "@/lib/core/logger";
import {
  findRealtimeEvent,
  REALTIME_CHANNEL,
  type RealtimeEvent,
  type RealtimeNotification,
  type SessionsEndedNotification,
} from "./events";

/** One open stream, as the hub sees it. */
export type RealtimeSubscriber = {
  /** Whose stream it is; `teamIds` shrinks when the viewer leaves a team while the stream is open. */
  viewer: { userId: string; teamIds: Set<string> };
  /** The session that opened it: the stream closes when that session ends. */
  sessionId: string;
  openedAt: number;
  /** A live event for this stream's viewer. */
  deliver(event: RealtimeEvent): void;
  /** Re-reads what may have been missed while the listening connection was down. */
  catchUp(): Promise<void>;
  close(
    reason: "superseded" | "session-ended" | "client-gone" | "time-limit" | "too-slow" | "shutdown" | "error",
  ): void;
};

const log = logger.child({ feature: "realtime" });

/**
 * The process's one LISTEN and its open streams, by user, by team and by session. Kept on
 * globalThis: Next bundles route handlers separately, and every copy of this
 * module must share the one listening connection and see every stream.
 */
class RealtimeHub {
  private readonly byUser = new Map<string, Set<RealtimeSubscriber>>();
  private readonly byTeam = new Map<string, Set<RealtimeSubscriber>>();
  private readonly bySession = new Map<string, Set<RealtimeSubscriber>>();
  private listening: Promise<NotificationSubscription> | null = null;
  private openCount = 0;
  /** Set by `stop()` when the server shuts down: no stream opens and no LISTEN starts again. */
  private stopped = false;

  get openStreams() {
    return this.openCount;
  }

  /** Starts the LISTEN on first use; a failed start is retried by the next caller. */
  ensureListening(): Promise<unknown> {
    if (this.stopped)
      return Promise.reject(
        new AppError("unavailable", "This server is shutting down: reconnect to another.", {
          reason: "server-shutting-down",
          retryAfterSeconds: 1,
        }),
      );
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

  /** Adds a stream; past `maxPerUser` the user's oldest streams are closed. */
  add(subscriber: RealtimeSubscriber, maxPerUser: number) {
    const group = groupIn(this.byUser, subscriber.viewer.userId);
    group.add(subscriber);
    for (const teamId of subscriber.viewer.teamIds) groupIn(this.byTeam, teamId).add(subscriber);
    groupIn(this.bySession, subscriber.sessionId).add(subscriber);
    this.openCount += 1;
    for (const oldest of group) {
      if (group.size <= maxPerUser) break;
      oldest.close("superseded");
    }
    return group.size;
  }

  remove(subscriber: RealtimeSubscriber) {
    if (!leave(this.byUser, subscriber.viewer.userId, subscriber)) return;
    for (const teamId of subscriber.viewer.teamIds) leave(this.byTeam, teamId, subscriber);
    leave(this.bySession, subscriber.sessionId, subscriber);
    this.openCount -= 1;
  }

  /** Closes the streams these sessions opened on this server. */
  private endSessions(sessionIds: string[]) {
    for (const sessionId of sessionIds) {
      for (const subscriber of [...(this.bySession.get(sessionId) ?? [])]) subscriber.close("session-ended");
    }
  }

  private async fanOut(payload: string) {
    let notification: RealtimeNotification | SessionsEndedNotification;
    try {
      notification = JSON.parse(payload) as RealtimeNotification | SessionsEndedNotification;
    } catch {
      return log.warn("realtime notification is not JSON; ignored");
    }
    if ("endedSessionIds" in notification) return this.endSessions(notification.endedSessionIds);
    // Most events belong to users and teams with no stream on this server.
    const group = notification.organizationId
      ? this.byTeam.get(notification.organizationId)
      : notification.userId
        ? this.byUser.get(notification.userId)
        : undefined;
    if (!group?.size) return;
    const event =
      notification.data === undefined || notification.data === null
        ? await findRealtimeEvent(db, notification.id).catch(() => null)
        : { id: notification.id, type: notification.type, data: notification.data };
    if (!event) return log.warn({ eventId: notification.id }, "realtime event row not found; not fanned out");
    const streams = group.size;
    for (const subscriber of [...group]) {
      subscriber.deliver(event);
      if (notification.organizationId && leftTheTeam(event, subscriber.viewer.userId)) {
        // The last team event their stream hears: a removed member's open pages stop seeing the team at once.
        subscriber.viewer.teamIds.delete(notification.organizationId);
        leave(this.byTeam, notification.organizationId, subscriber);
      }
    }
    log.info(
      {
        eventId: event.id,
        type: event.type,
        streams,
        openStreams: this.openCount,
        fanOutLatencyMs: Date.now() - notification.at,
      },
      "realtime event fanned out",
    );
  }

  private catchUpAll() {
    for (const group of this.byUser.values()) {
      for (const subscriber of group) {
        subscriber.catchUp().catch((error: unknown) => {
          log.warn({ err: error }, "realtime stream could not catch up after a reconnect; closing it");
          subscriber.close("error");
        });
      }
    }
  }

  /** Closes every stream (each tells its browser to reconnect, which reaches another instance) and the LISTEN. */
  async stop() {
    this.stopped = true;
    for (const group of [...this.byUser.values()]) for (const subscriber of [...group]) subscriber.close("shutdown");
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

function groupIn(groups: Map<string, Set<RealtimeSubscriber>>, key: string): Set<RealtimeSubscriber> {
  let group = groups.get(key);
  if (!group) groups.set(key, (group = new Set()));
  return group;
}

/** Takes the subscriber out of a group (dropping the group when empty); false when it was not in it. */
function leave(groups: Map<string, Set<RealtimeSubscriber>>, key: string, subscriber: RealtimeSubscriber): boolean {
  const group = groups.get(key);
  if (!group?.delete(subscriber)) return false;
  if (group.size === 0) groups.delete(key);
  return true;
}

/** A team's `member.changed` saying this user was removed from it. */
function leftTheTeam(event: RealtimeEvent, userId: string): boolean {
  if (event.type !== "member.changed") return false;
  const data = event.data as { userId?: string; change?: string };
  return data.userId === userId && data.change === "removed";
}

/** A server shutting down: every stream is ended with a `retry:` (its browser reconnects elsewhere), then the LISTEN. */
export function stopRealtimeHub(): Promise<void> {
  return realtimeHub().stop();
}
