import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/events/route";
import { revokeOtherSessions } from "@/lib/account";
import { deleteAccount } from "@/lib/account/delete";
import { auth } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { cookieJar, headers as fakeBrowserHeaders } from "@/tests/support/next/headers";
import { readServerSentEvents } from "@/tests/support/sse";
import { sessionOf, signInOnAnotherDevice, signUpTestUser } from "@/tests/support/users";
import { REALTIME_CHANNEL } from "./events";

/**
 * An open /api/events stream lives only as long as its session: revoking the session, a password
 * reset, signing out everywhere and deleting the account close it within seconds, on every server
 * (the news travels as a NOTIFY, like the events themselves).
 */

beforeAll(async () => {
  await db.select().from(schema.user).limit(1);
});

const opened: AbortController[] = [];
afterEach(() => opened.splice(0).forEach((abort) => abort.abort()));

/** Opens GET /api/events with this cookie (a device's session). */
async function openStream(cookie: string) {
  const abort = new AbortController();
  opened.push(abort);
  const response = await GET(new Request("http://localhost/api/events", { headers: { cookie }, signal: abort.signal }));
  expect(response.status).toBe(200);
  const events = readServerSentEvents(response.body!);
  await events.next(2_000, { includeReady: true });
  return events;
}

/** Whether the stream is told its session ended and then ends, within a few seconds. */
async function endsForItsSession(events: Awaited<ReturnType<typeof openStream>>) {
  const told = await events.next(5_000, { type: "session-ended" });
  await events.next(1_000);
  return told !== null && events.ended;
}

const browserCookie = async () => (await fakeBrowserHeaders()).get("cookie")!;

describe("a stream whose session ends", () => {
  it("closes when the session is revoked from another device, and the revoking device's stream stays open", async () => {
    const cook = await signUpTestUser("Revoker");
    const jar = cookieJar.snapshot();
    const here = await openStream(await browserCookie());
    const stolen = await openStream((await signInOnAnotherDevice(cook.email)).get("cookie")!);
    // (Signing in elsewhere went through the fake browser's cookie jar too: put its own session back.)
    cookieJar.restore(jar);
    const mine = await sessionOf(await fakeBrowserHeaders());
    await revokeOtherSessions(db, cook.id, mine!.session.id);
    expect(await endsForItsSession(stolen)).toBe(true);
    expect(here.ended).toBe(false);
  });

  it("closes when Better Auth ends every session of the account (a password reset, signing out everywhere)", async () => {
    const cook = await signUpTestUser("Resetter");
    const stream = await openStream(await browserCookie());
    const ctx = await auth.$context;
    await ctx.internalAdapter.deleteUserSessions(cook.id);
    expect(await endsForItsSession(stream)).toBe(true);
  });

  it("closes when the account is deleted", async () => {
    const cook = await signUpTestUser("Leaver");
    const stream = await openStream(await browserCookie());
    await deleteAccount(db, cook.id);
    expect(await endsForItsSession(stream)).toBe(true);
  });

  it("closes on the news from another server: a NOTIFY naming the session", async () => {
    const cook = await signUpTestUser("Elsewhere");
    const stream = await openStream(await browserCookie());
    const [row] = await db
      .select()
      .from(schema.session)
      .where(sql`${schema.session.userId} = ${cook.id}`);
    // What another instance's revocation sends, on the channel every server LISTENs to.
    const news = JSON.stringify({ endedSessionIds: [row!.id] });
    await db.execute(sql`select pg_notify(${REALTIME_CHANNEL}, ${news})`);
    expect(await endsForItsSession(stream)).toBe(true);
  });
});
