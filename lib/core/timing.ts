/** Rejects with `message` when `promise` has not settled within `ms`: every outside call gets one. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message = `timed out after ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Exponential backoff after the n-th failed attempt: base, 2×base, 4×base … capped at `maxMs`. */
export function backoffDelayMs(
  attempts: number,
  { baseMs = 60_000, maxMs }: { baseMs?: number; maxMs: number },
): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), maxMs);
}

/** Waits until `deadline` (ms since the epoch): answers that must not reveal which branch ran take as long as each other. */
export async function waitUntil(deadline: number): Promise<void> {
  const remaining = deadline - Date.now();
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
}
