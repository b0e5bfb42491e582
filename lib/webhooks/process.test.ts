import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, createPostgresDatabase, schema } from "@/lib/db";
import {
  findEvent,
  handledCount,
  minutesAgo,
  recordHandled,
  registerTestProvider,
  storeEvent,
} from "@/tests/support/webhooks";
import { MAX_WEBHOOK_ATTEMPTS, WEBHOOK_LOCK_TIMEOUT_MS, processWebhookEvent, webhookRetryDelayMs } from "./process";
import { processPendingEvents } from "./sweep";

const boom = async () => {
  throw new Error("the handler broke");
};

describe("processWebhookEvent", () => {
  it("runs a handler's after-commit work once its writes are committed, and not when it fails", async () => {
    const seen: number[] = [];
    let broken = false;
    const provider = registerTestProvider({
      "thing.happened": async (tx, event, { afterCommit }) => {
        await recordHandled(tx, event);
        // Reads through the app's own connection: inside the transaction it would not see the row yet.
        afterCommit(async () => void seen.push(await handledCount(event.eventId)));
        if (broken) throw new Error("handler failed after registering work");
      },
    });
    const first = await storeEvent(provider);
    expect(await processWebhookEvent(db, provider, first.eventId)).toEqual({ status: "processed" });
    expect(seen).toEqual([1]);

    broken = true;
    const second = await storeEvent(provider);
    expect((await processWebhookEvent(db, provider, second.eventId)).status).toBe("failed");
    expect(seen).toEqual([1]);
  });

  it("runs the handler for the event's type and marks the event processed", async () => {
    const provider = registerTestProvider({ "thing.happened": recordHandled });
    const { eventId } = await storeEvent(provider);

    expect(await processWebhookEvent(db, provider, eventId)).toEqual({ status: "processed" });

    expect(await findEvent(provider, eventId)).toMatchObject({
      status: "processed",
      attempts: 1,
      lastError: null,
      lockedAt: null,
    });
    expect((await findEvent(provider, eventId))?.processedAt).toBeInstanceOf(Date);
    expect(await handledCount(eventId)).toBe(1);
  });

  it("never processes an event twice: a second run is skipped", async () => {
    const provider = registerTestProvider({ "thing.happened": recordHandled });
    const { eventId } = await storeEvent(provider);

    await processWebhookEvent(db, provider, eventId);
    expect(await processWebhookEvent(db, provider, eventId)).toEqual({ status: "skipped" });
    expect(await handledCount(eventId)).toBe(1);
    expect((await findEvent(provider, eventId))?.attempts).toBe(1);
  });

  it("marks an event type without a handler processed (ignored), without an error", async () => {
    const provider = registerTestProvider({ "thing.happened": recordHandled });
    const { eventId } = await storeEvent(provider, { type: "something.else" });

    expect(await processWebhookEvent(db, provider, eventId)).toEqual({ status: "ignored" });
    expect(await findEvent(provider, eventId)).toMatchObject({ status: "processed", lastError: null });
    expect(await handledCount(eventId)).toBe(0);
  });

  it("skips an event that does not exist", async () => {
    const provider = registerTestProvider({});
    expect(await processWebhookEvent(db, provider, "evt_missing")).toEqual({ status: "skipped" });
  });

  it("records a handler failure, rolls back the handler's writes, and retries after the backoff", async () => {
    let broken = true;
    const provider = registerTestProvider({
      "thing.happened": async (tx, event) => {
        await recordHandled(tx, event);
        if (broken) await boom();
      },
    });
    const { eventId } = await storeEvent(provider);
    const failedAt = new Date();

    const failure = await processWebhookEvent(db, provider, eventId, { now: failedAt });
    const nextAttemptAt = new Date(failedAt.getTime() + webhookRetryDelayMs(1));
    expect(failure).toEqual({ status: "failed", attempts: 1, error: "the handler broke", nextAttemptAt });
    expect(await findEvent(provider, eventId)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "the handler broke",
      nextAttemptAt,
    });
    expect(await handledCount(eventId)).toBe(0);

    // Before the backoff has passed, neither the job nor the sweeper touches it.
    expect(await processWebhookEvent(db, provider, eventId, { now: new Date(nextAttemptAt.getTime() - 1000) })).toEqual(
      {
        status: "skipped",
      },
    );
    await processPendingEvents(db, { now: new Date(nextAttemptAt.getTime() - 1000) });
    expect(await findEvent(provider, eventId)).toMatchObject({ status: "failed", attempts: 1 });

    broken = false;
    const sweep = await processPendingEvents(db, { now: nextAttemptAt });
    expect(sweep.processed).toBeGreaterThanOrEqual(1);
    expect(await findEvent(provider, eventId)).toMatchObject({ status: "processed", attempts: 2, lastError: null });
    expect(await handledCount(eventId)).toBe(1);
  });

  it(`gives up after ${MAX_WEBHOOK_ATTEMPTS} attempts: the event is dead and the sweeper leaves it alone`, async () => {
    const provider = registerTestProvider({ "thing.happened": boom });
    const { eventId } = await storeEvent(provider);

    let now = new Date();
    const delays: number[] = [];
    for (let attempt = 1; attempt < MAX_WEBHOOK_ATTEMPTS; attempt += 1) {
      const outcome = await processWebhookEvent(db, provider, eventId, { now });
      expect(outcome).toMatchObject({ status: "failed", attempts: attempt });
      if (outcome.status !== "failed") return;
      delays.push(outcome.nextAttemptAt.getTime() - now.getTime());
      now = outcome.nextAttemptAt;
    }
    expect(await processWebhookEvent(db, provider, eventId, { now })).toEqual({
      status: "dead",
      attempts: MAX_WEBHOOK_ATTEMPTS,
      error: "the handler broke",
    });
    // Exponential backoff: every wait is twice the one before.
    expect(delays.slice(1).every((delay, i) => delay === 2 * delays[i]!)).toBe(true);

    await processPendingEvents(db, { now: new Date(now.getTime() + 7 * 24 * 60 * 60_000) });
    expect(await findEvent(provider, eventId)).toMatchObject({
      status: "dead",
      attempts: MAX_WEBHOOK_ATTEMPTS,
      lastError: "the handler broke",
      nextAttemptAt: null,
    });
  });

  it("takes over an event whose worker died mid-way, once its lock is stale", async () => {
    const provider = registerTestProvider({ "thing.happened": recordHandled });
    const now = new Date();
    const fresh = await storeEvent(provider, { status: "processing", attempts: 1, lockedAt: minutesAgo(1, now) });
    const stale = await storeEvent(provider, {
      status: "processing",
      attempts: 1,
      lockedAt: new Date(now.getTime() - WEBHOOK_LOCK_TIMEOUT_MS - 1000),
    });

    expect(await processWebhookEvent(db, provider, fresh.eventId, { now })).toEqual({ status: "skipped" });
    expect(await processWebhookEvent(db, provider, stale.eventId, { now })).toEqual({ status: "processed" });
    expect(await findEvent(provider, stale.eventId)).toMatchObject({ status: "processed", attempts: 2 });
  });

  it("marks a stale event dead without running it again when its last attempt's worker died", async () => {
    const provider = registerTestProvider({ "thing.happened": recordHandled });
    const { eventId } = await storeEvent(provider, {
      status: "processing",
      attempts: MAX_WEBHOOK_ATTEMPTS,
      lockedAt: minutesAgo(60),
    });

    expect(await processWebhookEvent(db, provider, eventId)).toMatchObject({ status: "dead" });
    expect(await findEvent(provider, eventId)).toMatchObject({
      status: "dead",
      lastError: "the worker stopped during the last attempt",
    });
    expect(await handledCount(eventId)).toBe(0);
  });

  it("fails (and later retries) an event whose provider has no handlers in this deployment", async () => {
    const provider = `test-unregistered-${randomUUID()}`;
    const { eventId } = await storeEvent(provider);

    expect(await processWebhookEvent(db, provider, eventId)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await findEvent(provider, eventId))?.lastError).toMatch(/no webhook handlers are registered/);
  });
});

describe("on real PostgreSQL", () => {
  const url = process.env.DATABASE_URL;
  if (!url)
    console.info("[tests] skipped: racing processors on separate connections needs real PostgreSQL (set DATABASE_URL)");

  it.skipIf(!url)(
    "ten processors on separate connection pools race for one event: the handler runs exactly once",
    async () => {
      const provider = registerTestProvider({
        "thing.happened": async (tx, event) => {
          await recordHandled(tx, event);
          // Hold the transaction open so the losers arrive while the winner is still working.
          await new Promise((resolve) => setTimeout(resolve, 100));
        },
      });
      const { eventId } = await storeEvent(provider);
      const pools = Array.from({ length: 10 }, () => createPostgresDatabase(url!, { max: 1 }));
      try {
        // Open every connection first, so the ten claims start together.
        await Promise.all(
          pools.map(({ db: pool }) => pool.select({ id: schema.webhookEvents.id }).from(schema.webhookEvents).limit(1)),
        );
        const outcomes = await Promise.all(pools.map(({ db: pool }) => processWebhookEvent(pool, provider, eventId)));

        expect(outcomes.filter((o) => o.status === "processed")).toHaveLength(1);
        expect(outcomes.filter((o) => o.status === "skipped")).toHaveLength(9);
        expect(await handledCount(eventId)).toBe(1);
        expect(await findEvent(provider, eventId)).toMatchObject({ status: "processed", attempts: 1 });
      } finally {
        await Promise.all(pools.map((pool) => pool.close()));
      }
    },
  );
});
