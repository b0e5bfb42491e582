import { describe, expect, it } from "vitest";
import { z } from "zod";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { defineJob, drainInProcessJobs, enqueue, unfinishedInProcessJobs } from ".";

/** A job that runs until the test lets it finish, so the test decides what is in flight. */
function heldJob() {
  const started: number[] = [];
  const letGo: (() => void)[] = [];
  const job = defineJob("held-job", z.object({ n: z.number() }), async ({ n }) => {
    started.push(n);
    await new Promise<void>((resolve) => letGo.push(resolve));
  });
  const finishRunning = () => letGo.splice(0).forEach((resolve) => resolve());
  return { job, started, finishRunning };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

// The tests share this process's jobs (JOB_CONCURRENCY, 2 at once), and the second one ends in a
// shutdown after which no queued job starts: they run in this order.
describe("draining the in-process jobs of a server that shuts down", () => {
  it("waits for every job, those enqueued while it waits included, then answers that none is left", async () => {
    const { job, started, finishRunning } = heldJob();
    await enqueue(job, { n: 1 });
    const responsesSent = flushAfterResponse();
    await until(() => started.length === 1);

    const drained = drainInProcessJobs(Date.now() + 60_000);
    // A request still in flight queues one more.
    await enqueue(job, { n: 2 });
    void flushAfterResponse();
    await until(() => started.length === 2);
    let done = false;
    void drained.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    finishRunning();

    expect(await drained).toEqual({ unfinished: 0 });
    await responsesSent;
    expect(unfinishedInProcessJobs()).toBe(0);
  });

  it("stops waiting at the deadline, and the jobs still queued then never start", async () => {
    const { job, started, finishRunning } = heldJob();
    for (let n = 1; n <= 5; n++) await enqueue(job, { n });
    const responsesSent = flushAfterResponse();
    await until(() => started.length === 2);

    const result = await drainInProcessJobs(Date.now() + 100);

    // Two running, three queued behind them.
    expect(result).toEqual({ unfinished: 5 });
    finishRunning();
    await responsesSent;
    expect(started).toEqual([1, 2]);
    expect(unfinishedInProcessJobs()).toBe(0);
  });
});
