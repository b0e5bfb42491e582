"use client";

import { useRouter } from "next/navigation";
import { useRef } from "react";
import { useRealtimeEvents } from "./use-realtime-events";

/**
 * Re-renders the current page's Server Components when one of `types` arrives
 * on `url`, and once when the stream is first established: whatever happened
 * between the page's render and the subscription (a slow first connection, a
 * route `next dev` is still compiling) is shown too, not lost.
 */
export function LiveRefresh({ url, types }: { url: string; types: string[] }) {
  const router = useRouter();
  const connected = useRef(false);
  useRealtimeEvents(url, ["ready", ...types], (type) => {
    if (type === "ready") {
      // Reconnections resume from the last event seen (Last-Event-ID), so only the first needs the catch-up.
      if (connected.current) return;
      connected.current = true;
    }
    router.refresh();
  });
  return null;
}
