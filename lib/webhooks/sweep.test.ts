import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
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

  it("stops starting events once its deadline has passed, leaving the rest for the next sweep", async () => {
    const provider = registerTestProvider({
      "thing.happened": async (tx, event) => {
        await recordHandled(tx, event);
        await new Promise((resolve) => setTimeout(resolve, 150));
      },
    });
    const first = await storeEvent(provider, { receivedAt: minutesAgo(30) });
    const second = await storeEvent(provider, { receivedAt: minutesAgo(20) });

    // The first event takes longer than the budget, so the second is not started.
    const counts = await processPendingEvents(db, { deadline: Date.now() + 50 });

    expect(counts.picked).toBe(1);
    expect((await findEvent(provider, first.eventId))?.status).toBe("processed");
    expect((await findEvent(provider, second.eventId))?.status).toBe("pending");
  });
});
