"use client";

import { useRouter } from "next/navigation";
import { useRealtimeEvents } from "./use-realtime-events";

/** Re-renders the current page's Server Components when one of `types` arrives on `url`. */
export function LiveRefresh({ url, types }: { url: string; types: string[] }) {
  const router = useRouter();
  useRealtimeEvents(url, types, () => router.refresh());
  return null;
}
