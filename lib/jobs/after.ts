import "server-only";
import { after } from "next/server";

/**
 * The one place that calls Next's `after()`: it runs `work` once the response
 * has been sent (on Vercel through waitUntil, bounded by the route's maxDuration).
 * `after()` throws outside a Next request, so tests replace this module.
 */
export function runAfterResponse(work: () => Promise<void>): void {
  after(work);
}
