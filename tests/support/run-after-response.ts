/**
 * Stand-in for lib/jobs/after.ts in Vitest (Next's after() throws outside a
 * request): work is held, as if the response were still being sent, until the
 * test calls `flushAfterResponse()`.
 */

// On globalThis: after vi.resetModules() this module can exist twice (the mocked
// seam keeps its first copy), and both copies must share one queue.
const held = globalThis as unknown as { __afterResponse?: Array<() => Promise<void>> };
const pending = (held.__afterResponse ??= []);

export function runAfterResponse(work: () => Promise<void>): void {
  pending.push(work);
}

/** Runs the held work the way Next does once the response is sent; returns how many jobs ran. */
export async function flushAfterResponse(): Promise<number> {
  const work = pending.splice(0);
  await Promise.all(work.map((run) => run()));
  return work.length;
}
