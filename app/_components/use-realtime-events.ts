"use client";

import { useEffect, useRef } from "react";

export type RealtimeHandler = (type: string, data: unknown) => void;

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/**
 * Subscribes to a Server-Sent Events feed (`/api/events`) while the tab is
 * visible. A stream the server ends on purpose (Vercel's time limit) is
 * resumed by the browser itself with `Last-Event-ID`; repeated failures back
 * off exponentially (1 s … 30 s, with jitter); a hidden tab holds no
 * connection and resumes from the last event it saw when shown again.
 */
export function useRealtimeEvents(url: string, types: readonly string[], onEvent: RealtimeHandler) {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  const typeList = types.join(",");

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let lastEventId = "";
    let failures = 0;

    const disconnect = () => {
      clearTimeout(retryTimer);
      source?.close();
      source = null;
    };
    const remember = (event: MessageEvent) => {
      if (event.lastEventId) lastEventId = event.lastEventId;
    };
    const connect = () => {
      disconnect();
      if (document.visibilityState === "hidden") return;
      // A new EventSource sends no Last-Event-ID header of its own: the query carries it.
      const next = new EventSource(lastEventId ? `${url}?lastEventId=${encodeURIComponent(lastEventId)}` : url);
      source = next;
      next.onopen = () => void (failures = 0);
      next.addEventListener("ready", remember);
      for (const type of typeList.split(",")) {
        next.addEventListener(type, (event: MessageEvent<string>) => {
          remember(event);
          handler.current(type, JSON.parse(event.data));
        });
      }
      // More tabs are open than the server keeps: this one rests until it is shown again.
      next.addEventListener("superseded", disconnect);
      // Signed out (here or elsewhere), or the session was revoked: nothing to reconnect to.
      next.addEventListener("session-ended", disconnect);
      next.onerror = () => {
        failures += 1;
        // The first failure after a good stream is the browser's own reconnect (with Last-Event-ID); after that, back off.
        if (next.readyState === EventSource.CONNECTING && failures === 1) return;
        disconnect();
        const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failures - 1));
        retryTimer = setTimeout(connect, delay / 2 + Math.random() * (delay / 2));
      };
    };
    const onVisibility = () => (document.visibilityState === "hidden" ? disconnect() : source ? null : connect());

    connect();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      disconnect();
    };
  }, [url, typeList]);
}
