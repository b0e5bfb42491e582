import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { setEnv } from "@/tests/support/env";
import { findEvent } from "@/tests/support/webhooks";
import { listRecentWebhookEvents, recordWebhookEvent, resetWebhookEvent } from "./inbox";

describe("recordWebhookEvent", () => {
  it("stores an event once: a redelivery is reported as a duplicate and changes nothing", async () => {
    const provider = `test-${randomUUID()}`;
    const event = {
      provider,
      eventId: "evt_1",
      type: "thing.happened",
      payload: { id: "evt_1", n: 1 },
      requestId: "req_first",
    };

    expect(await recordWebhookEvent(db, event)).toEqual({ isNew: true, unstorable: false });
    expect(await recordWebhookEvent(db, { ...event, payload: { id: "evt_1", n: 2 }, requestId: "req_second" })).toEqual(
      {
        isNew: false,
        unstorable: false,
      },
    );

    const rows = (await listRecentWebhookEvents(db)).filter((row) => row.provider === provider);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      eventId: "evt_1",
      status: "pending",
      attempts: 0,
      payload: { id: "evt_1", n: 1 },
      requestId: "req_first",
    });
  });

  it("keeps the same event id from two providers apart", async () => {
    const [a, b] = [`test-${randomUUID()}`, `test-${randomUUID()}`];
    expect(await recordWebhookEvent(db, { provider: a, eventId: "evt_same", type: "t", payload: {} })).toEqual({
      isNew: true,
      unstorable: false,
    });
    expect(await recordWebhookEvent(db, { provider: b, eventId: "evt_same", type: "t", payload: {} })).toEqual({
      isNew: true,
      unstorable: false,
    });
  });
});

describe("resetWebhookEvent", () => {
  it("puts an event back to pending with no attempts, and answers null for an unknown id", async () => {
    const provider = `test-${randomUUID()}`;
    await recordWebhookEvent(db, { provider, eventId: "evt_dead", type: "t", payload: {} });
    const stored = await findEvent(provider, "evt_dead");

    const reset = await resetWebhookEvent(db, stored!.id);
    expect(reset).toMatchObject({
      status: "pending",
      attempts: 0,
      lastError: null,
      nextAttemptAt: null,
      processedAt: null,
    });
    expect(await resetWebhookEvent(db, randomUUID())).toBeNull();
  });
});

describe("recordWebhookEvent without the dev tools (production)", () => {
  it("stores an event once with a single statement and announces nothing", async () => {
    // Open this file's in-memory database first: a production start would open .data/ instead.
    await listRecentWebhookEvents(db, 1);
    setEnv({
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: "a-production-secret-for-this-test-only-0123",
      ENABLE_DEV_TOOLS: undefined,
    });
    const provider = `test-${randomUUID()}`;
    const event = { provider, eventId: "evt_prod", type: "thing.happened", payload: { id: "evt_prod" } };
    const announcedBefore = await db.select().from(schema.realtimeEvents);

    expect(await recordWebhookEvent(db, event)).toEqual({ isNew: true, unstorable: false });
    expect(await recordWebhookEvent(db, event)).toEqual({ isNew: false, unstorable: false });

    expect(await findEvent(provider, "evt_prod", db)).toMatchObject({ status: "pending", attempts: 0 });
    expect(await db.select().from(schema.realtimeEvents)).toHaveLength(announcedBefore.length);
  });
});
