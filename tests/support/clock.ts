import { vi } from "vitest";

/**
 * Freezes `Date` (only `Date`: timers, I/O and the database run as usual) at
 * the start of a rate-limit window, so "the 11th request in the window" is
 * never split across two windows by a slow machine. Undo with `vi.useRealTimers()`.
 */
export function freezeAtWindowStart(windowSeconds: number) {
  const windowMs = windowSeconds * 1000;
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Math.ceil(Date.now() / windowMs) * windowMs + 1);
}
