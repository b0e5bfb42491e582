import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/events/route";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { createPostgresDatabase, db, schema } from "@/lib/db";
import { sampleCheckoutSession, sampleEvent, signedStripeDelivery, simulatedId } from "@/lib/dev-tools/stripe-events";
import { addMember, createTeam, removeMember } from "@/lib/teams";
import { headers as fakeBrowserHeaders } from "@/tests/support/next/headers";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { readServerSentEvents } from "@/tests/support/sse";
import { signOutTestUser, signUpTestUser } from "@/tests/support/users";
import { deleteExpiredRealtimeEvents, publishRealtimeEvent, REALTIME_RETENTION_MS } from "./index";
import { realtimeHub } from "./hub";

// Every structured log line, through the real logger's options (as lib/core/logger.test.ts captures them).
const logged = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock("@/lib/core/logger", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/core/logger")>();
  const { default: pino } = await import("pino");
  const { Writable } = await import("node:stream");
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged.lines.push(String(chunk));
      done();
    },
  });
  return { ...actual, logger: pino({ ...actual.loggerOptions, level: "info" }, sink) };
});
const logEntries = (msg: string) =>
  logged.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === msg);

const databaseUrl = process.env.DATABASE_URL;
const opened: AbortController[] = [];

/** Opens GET /api/events as whoever the fake browser is signed in as. */
async function openStream(headers: Record<string, string> = {}) {
  const abort = new AbortController();
  opened.push(abort);
  // The fake browser's cookie (whoever it is signed in as) on the request, as a browser sends it.
  const cookie = (await fakeBrowserHeaders()).get("cookie");
  const response = await GET(
    new Request("http://localhost/api/events", {
      headers: { ...(cookie && { cookie }), ...headers },
      signal: abort.signal,
    }),
  );
  return { response, abort, events: response.body ? readServerSentEvents(response.body) : null };
}

async function openStreamAs(user: { actAs: () => void }, headers: Record<string, string> = {}) {
  user.actAs();
  const stream = await openStream(headers);
  expect(stream.response.status).toBe(200);
  return { ...stream, events: stream.events! };
}

/** A checkout completed by `buyer` for their personal team, through the signed webhook route and its background job. */
async function completeCheckout(buyer: { id: string; email: string; teamId: string }) {
  const event = sampleEvent(
    "checkout.session.completed",
    sampleCheckoutSession({
      teamId: buyer.teamId,
      buyerId: buyer.id,
      customerId: simulatedId("cus"),
      subscriptionId: simulatedId("sub"),
      email: buyer.email,
    }),
  );
  const { body, headers } = signedStripeDelivery(event);
  const response = await stripeWebhook(
    new Request("http://localhost/api/webhooks/stripe", { method: "POST", body, headers }),
  );
  expect(response.status).toBe(200);
  await flushAfterResponse();
}

const recipeChanged = (userId: string, recipeId: string) =>
  db.transaction((tx) => publishRealtimeEvent(tx, { userId }, "recipe.changed", { recipeId, change: "updated" }));
const teamRecipeChanged = (teamId: string, recipeId: string) =>
  db.transaction((tx) => publishRealtimeEvent(tx, { teamId }, "recipe.changed", { recipeId, change: "updated" }));

// The first sign-up migrates the database and warms Better Auth: a hook's timeout, not a test's.
beforeAll(() => signUpTestUser(), 180_000);
afterEach(() => {
  for (const abort of opened.splice(0)) abort.abort();
});
afterAll(() => realtimeHub().stop());

describe("GET /api/events", () => {
  it("answers 401 without a session and 400 for a Last-Event-ID that is not an id", async () => {
    signOutTestUser();
    expect((await openStream()).response.status).toBe(401);
    const user = await signUpTestUser();
    user.actAs();
    expect((await openStream({ "last-event-id": "1; drop table x" })).response.status).toBe(400);
  });

  it("is an unbuffered event stream: the headers proxies and gzip respect", async () => {
    const user = await signUpTestUser();
    const { response, events } = await openStreamAs(user);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const ready = await events.next(2_000, { includeReady: true });
    expect(ready).toMatchObject({ event: "ready", id: "0" });
  });

  it("delivers plan.changed to the buyer's team's streams within a second of the processed checkout, and nothing to another team", async () => {
    const buyer = await signUpTestUser("Buyer");
    const other = await signUpTestUser("Other");
    await flushAfterResponse(); // their sign-up emails go out before the streams open
    const buyerStream = await openStreamAs(buyer);
    const otherStream = await openStreamAs(other);

    await completeCheckout(buyer);
    // The job has committed by now: the event must follow within a second.
    const event = await buyerStream.events.next(1_000, { type: "plan.changed" });
    expect(event).toMatchObject({ event: "plan.changed" });
    expect(JSON.parse(event!.data)).toEqual({ plan: "pro", planName: "Pro", recipeLimit: null, teamId: buyer.teamId });
    expect(Number(event!.id)).toBeGreaterThan(0);

    expect(await otherStream.events.next(1_000)).toBeNull();
  });

  it("delivers a team's events to every member's open stream; a removed member's stream stops hearing them at once", async () => {
    const owner = await signUpTestUser("Owner");
    const cook = await signUpTestUser("Member");
    const team = await createTeam(db, { name: "Shared Kitchen", ownerId: owner.id });
    await addMember(db, team.id, cook.id, "member");
    await flushAfterResponse();
    const ownerStream = await openStreamAs(owner);
    const cookStream = await openStreamAs(cook);

    const shared = await teamRecipeChanged(team.id, "shared-1");
    for (const stream of [ownerStream, cookStream]) {
      const event = await stream.events.next(1_000, { type: "recipe.changed" });
      expect(event?.id).toBe(String(shared.id));
      expect(JSON.parse(event!.data)).toEqual({ recipeId: "shared-1", change: "updated", teamId: team.id });
    }

    const [membership] = await db
      .select({ id: schema.member.id })
      .from(schema.member)
      .where(and(eq(schema.member.organizationId, team.id), eq(schema.member.userId, cook.id)));
    await removeMember(db, { teamId: team.id, actorId: owner.id, memberId: membership!.id });
    // The last thing the removed member's stream hears from the team: that they were removed.
    const removed = await cookStream.events.next(1_000, { type: "member.changed" });
    expect(JSON.parse(removed!.data)).toEqual({ userId: cook.id, change: "removed", teamId: team.id });
    expect((await ownerStream.events.next(1_000, { type: "member.changed" }))?.id).toBe(removed!.id);

    // The team's next event reaches the owner, and not the removed member's still-open stream.
    const after = await teamRecipeChanged(team.id, "shared-2");
    expect((await ownerStream.events.next(1_000, { type: "recipe.changed" }))?.id).toBe(String(after.id));
    expect(await cookStream.events.next(500)).toBeNull();
    expect(cookStream.events.ended).toBe(false);
    // Their own events still arrive on it.
    const own = await recipeChanged(cook.id, "mine");
    expect((await cookStream.events.next())?.id).toBe(String(own.id));

    // Reconnecting from before the removal replays nothing of the team's any more.
    const again = await openStreamAs(cook, { "last-event-id": String(shared.id) });
    const replayed = [];
    for (let event = await again.events.next(500); event; event = await again.events.next(500)) replayed.push(event);
    expect(replayed.map((event) => event.id)).toEqual([String(own.id)]);
  });

  it("replays exactly the missed events, in order, after Last-Event-ID, then carries on live", async () => {
    const user = await signUpTestUser();
    const other = await signUpTestUser();
    const first = await openStreamAs(user);
    const seen = await recipeChanged(user.id, "r0");
    expect((await first.events.next())?.id).toBe(String(seen.id));
    first.abort.abort();

    // While the tab was away: three for this user, one for someone else.
    const missed = [];
    for (const recipeId of ["r1", "r2"]) missed.push(await recipeChanged(user.id, recipeId));
    await recipeChanged(other.id, "not-yours");
    missed.push(await recipeChanged(user.id, "r3"));

    const again = await openStreamAs(user, { "last-event-id": String(seen.id) });
    const replayed = [];
    for (let i = 0; i < 3; i++) replayed.push(await again.events.next());
    expect(replayed.map((event) => event?.id)).toEqual(missed.map(({ id }) => String(id)));
    expect(replayed.map((event) => JSON.parse(event!.data).recipeId)).toEqual(["r1", "r2", "r3"]);
    expect(await again.events.next(300)).toBeNull();

    const live = await recipeChanged(user.id, "r4");
    expect((await again.events.next())?.id).toBe(String(live.id));
  });

  it("sends nothing for a transaction that rolls back", async () => {
    const user = await signUpTestUser();
    const { events } = await openStreamAs(user);
    await db
      .transaction(async (tx) => {
        await publishRealtimeEvent(tx, { userId: user.id }, "recipe.changed", { recipeId: "x", change: "deleted" });
        throw new Error("rolled back");
      })
      .catch(() => {});
    expect(await events.next(500)).toBeNull();
  });

  it("reads the row when the data is too large for a NOTIFY payload", async () => {
    const user = await signUpTestUser();
    const { events } = await openStreamAs(user);
    const title = "x".repeat(9_000);
    await db.transaction((tx) =>
      publishRealtimeEvent(tx, { userId: user.id }, "ai.draft.finished", {
        generationId: "g1",
        kind: "week-plan",
        title,
      }),
    );
    const event = await events.next();
    expect(JSON.parse(event!.data).title).toBe(title);
  });

  it("closes a user's oldest stream past the per-user limit, telling it not to reconnect", async () => {
    const user = await signUpTestUser();
    const streams = [];
    for (let i = 0; i < 6; i++) streams.push(await openStreamAs(user));
    expect(await streams[0]!.events.next()).toMatchObject({ event: "superseded" });
    expect(await streams[0]!.events.next(500)).toBeNull();
    expect(streams[0]!.events.ended).toBe(true);
    const event = await recipeChanged(user.id, "r");
    for (const stream of streams.slice(1)) expect((await stream.events.next())?.id).toBe(String(event.id));
  });

  it("keeps 24 hours of events for replay and no more", async () => {
    const user = await signUpTestUser();
    const old = await recipeChanged(user.id, "old");
    const recent = await recipeChanged(user.id, "recent");
    const past = new Date(Date.now() - REALTIME_RETENTION_MS - 60_000);
    await db.execute(sql`update realtime_events set created_at = ${past.toISOString()} where id = ${old.id}`);
    expect(await deleteExpiredRealtimeEvents(db)).toBe(1);
    const { events } = await openStreamAs(user, { "last-event-id": "0" });
    expect((await events.next())?.id).toBe(String(recent.id));
    expect(await events.next(300)).toBeNull();
  });

  it("logs the open stream count and each event's fan-out latency, with ids and never the event's data", async () => {
    const user = await signUpTestUser();
    logged.lines.length = 0;
    const first = await openStreamAs(user);
    const second = await openStreamAs(user);
    const opened = logEntries("realtime stream opened");
    expect(opened).toHaveLength(2);
    expect(opened[1]).toMatchObject({ feature: "realtime", userId: user.id, audienceStreams: 2 });
    expect(opened[1]!.openStreams).toBe((opened[0]!.openStreams as number) + 1);

    const secret = `canary-${randomUUID()}`;
    const { id } = await db.transaction((tx) =>
      publishRealtimeEvent(tx, { userId: user.id }, "ai.draft.finished", {
        generationId: "g",
        kind: "week-plan",
        title: secret,
      }),
    );
    expect((await first.events.next())?.id).toBe(String(id));
    await vi.waitFor(() => expect(logEntries("realtime event fanned out")).toHaveLength(1), { timeout: 10_000 });
    const [fannedOut] = logEntries("realtime event fanned out");
    expect(fannedOut).toMatchObject({
      eventId: id,
      type: "ai.draft.finished",
      streams: 2,
      openStreams: opened[1]!.openStreams,
    });
    expect(fannedOut!.fanOutLatencyMs).toEqual(expect.any(Number));
    expect(fannedOut!.fanOutLatencyMs).toBeGreaterThanOrEqual(0);
    // Milliseconds of this run, not a clock reading or seconds; generous for a busy machine.
    expect(fannedOut!.fanOutLatencyMs).toBeLessThan(10_000);

    second.abort.abort();
    await vi.waitFor(() => expect(logEntries("realtime stream closed")).toHaveLength(1), { timeout: 10_000 });
    expect(logEntries("realtime stream closed")[0]).toMatchObject({
      reason: "client-gone",
      openStreams: (opened[1]!.openStreams as number) - 1,
    });
    expect(logged.lines.join("\n")).not.toContain(secret);
  });

  it.skipIf(!databaseUrl)(
    "LISTENs on its own URL when given one (DATABASE_URL_UNPOOLED), so a pooled DATABASE_URL never has to",
    async () => {
      // Queries would go to an unreachable pooler; the LISTEN must not.
      const pooled = createPostgresDatabase("postgres://postgres@127.0.0.1:1/unreachable", {}, databaseUrl);
      const received: string[] = [];
      const subscription = await pooled.listen("unpooled_check", {
        onNotify: (payload) => received.push(payload),
        onListen: () => {},
      });
      try {
        await db.execute(sql`select pg_notify('unpooled_check', 'hello')`);
        await vi.waitFor(() => expect(received).toEqual(["hello"]), { timeout: 10_000 });
      } finally {
        await subscription.stop();
        await pooled.close();
      }
    },
  );

  it.skipIf(!databaseUrl)(
    "recovers when the listening connection is killed: events in the gap and after it arrive",
    async () => {
      const user = await signUpTestUser();
      const { events } = await openStreamAs(user);
      const killed = await db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query like 'listen %'`,
      );
      expect(Array.from(killed as Iterable<unknown>).length).toBe(1);
      // Written while nobody listens: the reconnect's catch-up must still deliver it.
      const inGap = await recipeChanged(user.id, "gap");
      expect((await events.next(5_000))?.id).toBe(String(inGap.id));
      const after = await recipeChanged(user.id, "after");
      expect((await events.next(2_000))?.id).toBe(String(after.id));
    },
  );
});
