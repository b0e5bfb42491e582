/**
 * When each try happens: Svix's schedule, which Standard Webhooks senders share. The first try
 * goes at once; each failure waits the next step (with ±20 % jitter, so endpoints that failed
 * together do not all come back together), eight tries in all, about 33 hours from first to last.
 */
export const RETRY_SCHEDULE_MS = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
] as const;

export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length;

/** The longest a `Retry-After` may push a try back: the schedule's longest step. */
export const MAX_RETRY_AFTER_MS = 10 * 3_600_000;

/** An endpoint that has failed for this long (and still fails) is turned off and its team's admins are told. */
export const FAILING_DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

const JITTER = 0.2;

/**
 * How long to wait before try number `attempt` (2…8) after a failure: the schedule's step with
 * jitter, or longer when the endpoint asked for it with `Retry-After` (seconds or an HTTP date),
 * never past MAX_RETRY_AFTER_MS and never sooner than the schedule.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null = null,
  now = Date.now(),
  random = Math.random,
) {
  const step = RETRY_SCHEDULE_MS[Math.min(attempt, MAX_ATTEMPTS) - 1] ?? 0;
  const jittered = Math.round(step * (1 - JITTER + 2 * JITTER * random()));
  const asked = parseRetryAfter(retryAfter, now);
  if (asked === null) return jittered;
  return Math.max(jittered, Math.min(asked, MAX_RETRY_AFTER_MS));
}

/** `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`, in ms from `now`; null when absent or malformed. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
