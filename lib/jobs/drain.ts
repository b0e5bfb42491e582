import "server-only";

/**
 * What a server that is shutting down needs to know about the in-process jobs (Stack B and
 * containers): how many are unfinished, a way to wait for them until a deadline, and a switch
 * that keeps queued ones from starting after it. Kept on globalThis: Next bundles route handlers
 * separately, so each bundle has its own copy of lib/jobs, and the drain must see all their jobs.
 */
type JobsState = { unfinished: number; stopStarting: boolean; idle: Set<() => void> };

const shared = globalThis as unknown as { __inProcessJobs?: JobsState };
const state = (shared.__inProcessJobs ??= { unfinished: 0, stopStarting: false, idle: new Set() });

/** Counts one job from the moment it is enqueued; call the answer once it has ended, run or not. */
export function trackInProcessJob(): () => void {
  state.unfinished += 1;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    state.unfinished -= 1;
    if (state.unfinished === 0) for (const resolve of state.idle) resolve();
  };
}

/** False once a drain's deadline has passed: a queued job that gets its turn then does not start. */
export function mayStartInProcessJobs(): boolean {
  return !state.stopStarting;
}

export type JobsDrainResult = {
  /** Jobs still unfinished when the deadline came: running ones, and queued ones that will not start. */
  unfinished: number;
};

/**
 * Waits until every in-process job has ended (new ones enqueued meanwhile included), or until
 * `deadline` (ms since the epoch). From the deadline on, queued jobs no longer start: their work
 * is stored (a pending webhook event, a queued email), so the sweeper of another instance does it.
 */
export async function drainInProcessJobs(deadline: number): Promise<JobsDrainResult> {
  if (state.unfinished > 0) {
    let resolveIdle!: () => void;
    const idle = new Promise<void>((resolve) => (resolveIdle = resolve));
    state.idle.add(resolveIdle);
    let timer: NodeJS.Timeout | undefined;
    const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
    await Promise.race([idle, timeUp]);
    clearTimeout(timer);
    state.idle.delete(resolveIdle);
  }
  if (state.unfinished > 0) state.stopStarting = true;
  return { unfinished: state.unfinished };
}

/** How many in-process jobs are enqueued or running in this process. */
export function unfinishedInProcessJobs(): number {
  return state.unfinished;
}
