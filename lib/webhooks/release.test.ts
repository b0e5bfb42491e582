import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";
import {
  findEvent,
  handledCount,
  justAfter,
  recordHandled,
  registerTestProvider,
  storeEvent,
} from "@/tests/support/webhooks";
import { claimDueWebhookEvents, processWebhookEvent, releaseClaimedWebhookEvents } from "./process";
import { processPendingEvents } from "./sweep";

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe("a server that shuts down gives back the webhook events it claimed", () => {
  it("as pending and due at once, without the attempt, so another instance's sweeper processes each once", async () => {
    const provider = registerTestProvider({ "thing.happened": recordHandled });
    const events = [await storeEvent(provider), await storeEvent(provider)];
    // This server's sweeper claimed both (as if it were about to process them) when the shutdown came.
    const claimed = await claimDueWebhookEvents(db, {
      providers: [provider],
      now: justAfter(...events),
      limit: 10,
      pendingGraceMs: 0,
    });
    expect(claimed).toHaveLength(2);

    expect(await releaseClaimedWebhookEvents(db)).toBe(2);

    for (const event of events)
      expect(await findEvent(provider, event.eventId)).toMatchObject({
        status: "pending",
        attempts: 0,
        lockedAt: null,
      });
    // Received seconds ago, so only their release makes them due: the sweeper does not wait its minute of grace.
    const swept = await processPendingEvents(db);
    expect(swept.processed).toBeGreaterThanOrEqual(2);
    for (const event of events) {
      expect(await findEvent(provider, event.eventId)).toMatchObject({ status: "processed", attempts: 1 });
      expect(await handledCount(event.eventId)).toBe(1);
    }
    // Nothing is held any more: a second release gives nothing back.
    expect(await releaseClaimedWebhookEvents(db)).toBe(0);
  });

  it("leaves alone an event whose processing finished before the release", async () => {
    const provider = registerTestProvider({ "thing.happened": recordHandled });
    const event = await storeEvent(provider);

    expect(await processWebhookEvent(db, provider, event.eventId)).toEqual({ status: "processed" });
    expect(await releaseClaimedWebhookEvents(db)).toBe(0);
    expect(await findEvent(provider, event.eventId)).toMatchObject({ status: "processed", attempts: 1 });
  });

  // Two connections at once: the embedded database has one, where a transaction waits for no one.
  it.skipIf(!process.env.DATABASE_URL)(
    "processes once an event whose handler was still running: the late handler finds its lock gone and rolls back",
    async () => {
      let letGo!: () => void;
      const handlerWaits = new Promise<void>((resolve) => (letGo = resolve));
      const running: string[] = [];
      const provider = registerTestProvider({
        "thing.happened": async (tx, event: WebhookEvent) => {
          await recordHandled(tx, event);
          // The first run is the shutting-down server's; it is still inside its transaction at the release.
          if (running.push(event.eventId) === 1) await handlerWaits;
        },
      });
      const event = await storeEvent(provider);
      const slow = processWebhookEvent(db, provider, event.eventId);
      await until(() => running.length === 1);

      expect(await releaseClaimedWebhookEvents(db)).toBe(1);
      const swept = await processPendingEvents(db);
      letGo();

      expect(swept.processed).toBe(1);
      expect(await slow).toEqual({ status: "skipped" });
      expect(await findEvent(provider, event.eventId)).toMatchObject({ status: "processed", attempts: 1 });
      expect(await handledCount(event.eventId)).toBe(1);
    },
  );
});
