import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { count, eq, inArray, sql } from "drizzle-orm";
import { createPostgresDatabase, db, schema } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";
import {
  findEvent,
  handledCount,
  minutesAgo,
  recordHandled,
  registerTestProvider,
  storeEvent,
} from "@/tests/support/webhooks";
import { processPendingEvents } from "./sweep";

describe("processPendingEvents", () => {
  it("processes a pending event whose job never ran, once it is over a minute old", async () => {
    const provider = registerTestProvider({ "thing.happened": recordHandled });
    const forgotten = await storeEvent(provider, { receivedAt: minutesAgo(2) });
    const justArrived = await storeEvent(provider);

    const counts = await processPendingEvents(db);

    expect(counts.processed).toBeGreaterThanOrEqual(1);
    expect(await findEvent(provider, forgotten.eventId)).toMatchObject({ status: "processed", attempts: 1 });
    expect(await handledCount(forgotten.eventId)).toBe(1);
    // Its job is still on the way: the sweeper leaves it alone.
    expect(await findEvent(provider, justArrived.eventId)).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("picks up at most `limit` events per run, oldest first", async () => {
    const provider = registerTestProvider({ "thing.happened": recordHandled });
    const oldest = await storeEvent(provider, { receivedAt: minutesAgo(30) });
    const newer = await storeEvent(provider, { receivedAt: minutesAgo(20) });

    const counts = await processPendingEvents(db, { limit: 1 });

    expect(counts.picked).toBe(1);
    expect((await findEvent(provider, oldest.eventId))?.status).toBe("processed");
    expect((await findEvent(provider, newer.eventId))?.status).toBe("pending");
  });

  it("works through a backlog larger than one batch in a single run, oldest first", async () => {
    const order: string[] = [];
    const provider = registerTestProvider({
      "thing.happened": async (tx, event) => {
        order.push(event.eventId);
        await recordHandled(tx, event);
      },
    });
    await processPendingEvents(db); // what earlier tests in this file left due
    const stored = await storeEvents(provider, 25, minutesAgo(10));

    const counts = await processPendingEvents(db, { batchSize: 10, concurrency: 1 });

    expect(counts).toMatchObject({ picked: 25, processed: 25 });
    expect(order).toEqual(stored.map((event) => event.eventId));
    expect(await statusesOf(provider)).toEqual({ processed: 25 });
  });

  it("stops starting events once its deadline has passed, leaving the rest for the next sweep", async () => {
    // The clock moves only when the first event's handler runs past the deadline: however slow the machine,
    // the sweep starts before its deadline and finds it passed after the first batch.
    vi.useFakeTimers({ toFake: ["Date"] });
    onTestFinished(() => void vi.useRealTimers());
    const deadline = Date.now() + 50;
    const provider = registerTestProvider({
      "thing.happened": async (tx, event) => {
        await recordHandled(tx, event);
        vi.setSystemTime(deadline + 100);
      },
    });
    const first = await storeEvent(provider, { receivedAt: minutesAgo(30) });
    const second = await storeEvent(provider, { receivedAt: minutesAgo(20) });

    // One event per batch: the first takes longer than the budget, so no second batch is claimed.
    const counts = await processPendingEvents(db, { deadline, batchSize: 1 });

    expect(counts.picked).toBe(1);
    expect((await findEvent(provider, first.eventId))?.status).toBe("processed");
    expect((await findEvent(provider, second.eventId))?.status).toBe("pending");
  });
});

/** `n` pending events of one provider, received one second apart from `oldest` on, in one insert. */
async function storeEvents(provider: string, n: number, oldest: Date): Promise<WebhookEvent[]> {
  const rows = Array.from({ length: n }, (_, i) => {
    const eventId = `evt_${String(i).padStart(6, "0")}_${randomUUID()}`;
    const receivedAt = new Date(oldest.getTime() + i * 1000);
    return { provider, eventId, type: "thing.happened", payload: { id: eventId }, receivedAt };
  });
  return db.insert(schema.webhookEvents).values(rows).returning();
}

async function statusesOf(provider: string) {
  const rows = await db
    .select({ status: schema.webhookEvents.status, n: count() })
    .from(schema.webhookEvents)
    .where(eq(schema.webhookEvents.provider, provider))
    .groupBy(schema.webhookEvents.status);
  return Object.fromEntries(rows.map(({ status, n }) => [status, n]));
}

describe("several sweepers at once on real PostgreSQL", () => {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    console.info(
      "[tests] skipped: concurrent sweepers on separate connections need real PostgreSQL (set DATABASE_URL)",
    );
  // Each sweeper has its own pool, as cron runs on separate instances would. Four of them with small
  // batches make their claims collide often: without FOR UPDATE SKIP LOCKED this test sees about
  // a quarter of the events claimed twice.
  const pools = databaseUrl ? [0, 1, 2, 3].map(() => createPostgresDatabase(databaseUrl, { max: 5 })) : [];
  beforeAll(() => Promise.all(pools.map(({ db }) => db.execute(sql`select 1`))));
  afterAll(() => Promise.all(pools.map((pool) => pool.close())));

  it.skipIf(!databaseUrl)("share a backlog between them and never process one event twice", async () => {
    const provider = registerTestProvider({
      "thing.happened": async (tx, event) => {
        await recordHandled(tx, event);
        // A handler that takes a moment, so the two sweepers' batches overlap in time.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      },
    });
    await processPendingEvents(db); // what earlier tests in this file left due
    const stored = await storeEvents(provider, 400, minutesAgo(30));

    const counts = await Promise.all(pools.map(({ db }) => processPendingEvents(db, { batchSize: 5, concurrency: 4 })));

    // Every event was claimed by exactly one of them...
    expect(counts.reduce((sum, { picked }) => sum + picked, 0)).toBe(400);
    // ...and they really shared the work.
    expect(counts.filter(({ picked }) => picked > 0).length).toBeGreaterThan(1);
    expect(await statusesOf(provider)).toEqual({ processed: 400 });
    // ...and its handler's write exists once: no event ran twice.
    const handled = await db
      .select({ eventId: schema.contactMessages.subject, n: count() })
      .from(schema.contactMessages)
      .where(
        inArray(
          schema.contactMessages.subject,
          stored.map((event) => event.eventId),
        ),
      )
      .groupBy(schema.contactMessages.subject);
    expect(handled).toHaveLength(400);
    expect(handled.filter(({ n }) => n !== 1)).toEqual([]);
    const attempts = await db
      .select({ attempts: schema.webhookEvents.attempts, n: count() })
      .from(schema.webhookEvents)
      .where(eq(schema.webhookEvents.provider, provider))
      .groupBy(schema.webhookEvents.attempts);
    expect(attempts).toEqual([{ attempts: 1, n: 400 }]);
  });
});
