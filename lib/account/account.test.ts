import { randomUUID } from "node:crypto";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { and, eq, or } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auth } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { suppressAddress } from "@/lib/email";
import { getStorage, statObject } from "@/lib/storage";
import { addMember, createTeam, transferOwnership } from "@/lib/teams";
import { fakeStripeApi, stripeErrorBody } from "@/tests/support/fake-stripe";
import { cookieJar, headers } from "@/tests/support/next/headers";
import { PNG_1PX } from "@/tests/support/photos";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { signInOnAnotherDevice, signUpTestUser } from "@/tests/support/users";
import { AccountDeletionError, deleteAccount } from "./delete";
import { exportAccountData } from "./export";
import { knownAddress, listActiveSessions, markSessionSeen, revokeOtherSessions, revokeSession } from "./sessions";

// The real Stripe SDK, as with STRIPE_SECRET_KEY set, talking HTTP to a local fake of Stripe's API.
vi.mock("@/lib/billing/stripe", async (importOriginal) =>
  (await import("@/tests/support/fake-stripe")).mockStripeModule(importOriginal),
);

beforeAll(async () => {
  await db.select().from(schema.user).limit(1);
  await getStorage(); // the local S3 server starts here, not inside the first test
});
afterAll(() => fakeStripeApi.close());

/**
 * A cook with everything the app stores about someone, in their personal team: recipes, a photo in the
 * bucket, AI drafts, Pro with a Stripe customer, their own and their team's events.
 */
async function cookWithData(name: string) {
  const cook = await signUpTestUser(name);
  const browser = await headers();
  const session = (await auth.api.getSession({ headers: browser }))!;
  const customerId = `cus_${randomUUID().slice(0, 12)}`;
  const subscriptionId = `sub_${randomUUID().slice(0, 12)}`;
  await db
    .update(schema.organization)
    .set({ stripeCustomerId: customerId })
    .where(eq(schema.organization.id, cook.teamId));
  await db.insert(schema.subscriptions).values({
    id: subscriptionId,
    organizationId: cook.teamId,
    customerId,
    status: "active",
    priceId: "price_pro",
    lastEventAt: new Date(Date.now() - 60_000),
  });
  const [recipe] = await db
    .insert(schema.recipes)
    .values({
      organizationId: cook.teamId,
      createdBy: cook.id,
      title: `${name}'s soup`,
      ingredients: ["water"],
      published: true,
    })
    .returning();
  const storage = (await getStorage())!;
  const photoKey = `${cook.teamId}/${randomUUID()}`;
  const strayKey = `${cook.teamId}/${randomUUID()}`; // an upload whose row was never completed
  const legacyKey = `${cook.id}/${randomUUID()}`; // an object stored under the user's own prefix, before teams
  for (const key of [photoKey, strayKey, legacyKey])
    await storage.client.send(
      new PutObjectCommand({ Bucket: storage.bucket, Key: key, Body: PNG_1PX, ContentType: "image/png" }),
    );
  await db.insert(schema.uploads).values({
    key: photoKey,
    organizationId: cook.teamId,
    userId: cook.id,
    recipeId: recipe!.id,
    contentType: "image/png",
    size: PNG_1PX.length,
    status: "attached",
    expiresAt: new Date(),
  });
  await db.insert(schema.aiGenerations).values({
    organizationId: cook.teamId,
    userId: cook.id,
    kind: "recipe-draft",
    model: "offline:sample",
    status: "succeeded",
    inputTokens: 10,
    outputTokens: 20,
  });
  await db.insert(schema.realtimeEvents).values([
    { userId: cook.id, type: "email.status", data: { emailId: randomUUID(), template: "welcome", status: "sent" } },
    { organizationId: cook.teamId, type: "plan.changed", data: { plan: "pro", teamId: cook.teamId } },
  ]);
  await db.insert(schema.webhookEvents).values({
    provider: "stripe",
    eventId: `evt_${randomUUID()}`,
    type: "customer.subscription.updated",
    payload: { data: { object: { id: subscriptionId, customer: customerId } } },
    status: "processed",
  });
  return {
    ...cook,
    browser,
    sessionId: session.session.id,
    customerId,
    subscriptionId,
    recipeId: recipe!.id,
    photoKey,
    strayKey,
    legacyKey,
  };
}

/** Stripe's answers for one customer with one active subscription; DELETE cancels it. */
function stripeHas(cook: { customerId: string; subscriptionId: string }) {
  const subscription = (status: string) => ({
    id: cook.subscriptionId,
    object: "subscription",
    customer: cook.customerId,
    status,
    cancel_at_period_end: false,
    metadata: {},
    items: {
      object: "list",
      data: [{ id: "si_1", price: { id: "price_pro" }, current_period_end: Math.floor(Date.now() / 1000) + 86400 }],
    },
  });
  fakeStripeApi.route("GET", "/v1/subscriptions", (request) => ({
    status: 200,
    body: {
      object: "list",
      url: "/v1/subscriptions",
      has_more: false,
      data: request.query.customer === cook.customerId ? [subscription("active")] : [],
    },
  }));
  fakeStripeApi.route("DELETE", `/v1/subscriptions/${cook.subscriptionId}`, () => ({
    status: 200,
    body: subscription("canceled"),
  }));
}

/** Every row that points at the user or their personal team, table by table. */
async function rowsOf(cook: { id: string; email: string; teamId: string }) {
  const count = async (table: Parameters<typeof db.$count>[0], where: Parameters<typeof db.$count>[1]) =>
    db.$count(table, where);
  return {
    user: await count(schema.user, eq(schema.user.id, cook.id)),
    sessions: await count(schema.session, eq(schema.session.userId, cook.id)),
    accounts: await count(schema.account, eq(schema.account.userId, cook.id)),
    memberships: await count(schema.member, eq(schema.member.userId, cook.id)),
    personalTeam: await count(schema.organization, eq(schema.organization.id, cook.teamId)),
    recipes: await count(
      schema.recipes,
      or(eq(schema.recipes.organizationId, cook.teamId), eq(schema.recipes.createdBy, cook.id)),
    ),
    uploads: await count(
      schema.uploads,
      or(eq(schema.uploads.organizationId, cook.teamId), eq(schema.uploads.userId, cook.id)),
    ),
    aiGenerations: await count(
      schema.aiGenerations,
      or(eq(schema.aiGenerations.organizationId, cook.teamId), eq(schema.aiGenerations.userId, cook.id)),
    ),
    realtimeEvents: await count(
      schema.realtimeEvents,
      or(eq(schema.realtimeEvents.userId, cook.id), eq(schema.realtimeEvents.organizationId, cook.teamId)),
    ),
    subscriptions: await count(schema.subscriptions, eq(schema.subscriptions.organizationId, cook.teamId)),
    emails: await count(schema.emails, eq(schema.emails.to, cook.email)),
  };
}

describe("exportAccountData", () => {
  it("holds exactly the user's rows, none of another user's, and no password hash or token", async () => {
    const ann = await cookWithData("Ann");
    const bob = await cookWithData("Bob");

    const data = (await exportAccountData(db, ann.id))!;
    expect(data.profile).toMatchObject({ id: ann.id, email: ann.email, name: "Ann" });
    expect(data.profile).not.toHaveProperty("stripeCustomerId");
    expect(data.memberships).toEqual([
      expect.objectContaining({ teamId: ann.teamId, slug: ann.teamSlug, personal: true, role: "owner" }),
    ]);
    expect(data.teamsOwned).toEqual([
      expect.objectContaining({ id: ann.teamId, personal: true, stripeCustomerId: ann.customerId }),
    ]);
    expect(data.recipes.map((r) => r.id)).toEqual([ann.recipeId]);
    expect(data.subscriptions.map((s) => s.id)).toEqual([ann.subscriptionId]);
    expect(data.photos).toHaveLength(1);
    expect(data.aiGenerations).toHaveLength(1);
    expect(data.sessions).toHaveLength(1);
    expect(data.signInMethods.map((m) => m.provider)).toEqual(["credential"]);
    // The welcome email, sent once the address was confirmed; the confirmation itself went out before (and to
    // whoever typed the address: lib/account/email-history.test.ts), so it is not the account's.
    expect(data.emails.map((e) => e.template).sort()).toEqual(["welcome"]);
    expect(data.emails.every((e) => e.to === ann.email)).toBe(true);

    const text = JSON.stringify(data);
    for (const foreign of [
      bob.id,
      bob.email,
      bob.teamId,
      bob.recipeId,
      bob.subscriptionId,
      bob.customerId,
      "Bob's soup",
    ])
      expect(text).not.toContain(foreign);
    const [credential] = await db.select().from(schema.account).where(eq(schema.account.userId, ann.id));
    const sessions = await db.select().from(schema.session).where(eq(schema.session.userId, ann.id));
    expect(text).not.toContain(credential!.password!);
    for (const session of sessions) expect(text).not.toContain(session.token);
    expect(text).not.toMatch(/"(password|token|accessToken|refreshToken|idToken|html|props)"/);
    // The sign-up emails' links carry tokens: the export has no email bodies.
    expect(text).not.toContain("verify-email?token");
  });

  it("in a shared team holds what the user wrote and uploaded, and the subscription only of teams they own", async () => {
    const owner = await cookWithData("Olga");
    const cook = await signUpTestUser("Cy");
    const shared = await createTeam(db, { name: "Shared Kitchen", ownerId: owner.id });
    await addMember(db, shared.id, cook.id, "member");
    await db.insert(schema.subscriptions).values({
      id: `sub_${randomUUID().slice(0, 12)}`,
      organizationId: shared.id,
      customerId: `cus_${randomUUID().slice(0, 12)}`,
      status: "active",
      lastEventAt: new Date(),
    });
    const [mine, theirs] = await db
      .insert(schema.recipes)
      .values([
        { organizationId: shared.id, createdBy: cook.id, title: "Cy's stew" },
        { organizationId: shared.id, createdBy: owner.id, title: "Olga's stew" },
      ])
      .returning();
    await db.insert(schema.uploads).values([
      {
        key: `${shared.id}/${randomUUID()}`,
        organizationId: shared.id,
        userId: cook.id,
        recipeId: mine!.id,
        contentType: "image/png",
        size: 10,
        status: "attached",
        expiresAt: new Date(),
      },
      {
        key: `${shared.id}/${randomUUID()}`,
        organizationId: shared.id,
        userId: owner.id,
        recipeId: theirs!.id,
        contentType: "image/png",
        size: 10,
        status: "attached",
        expiresAt: new Date(),
      },
    ]);

    const data = (await exportAccountData(db, cook.id))!;
    expect(data.memberships.map((m) => [m.teamId, m.role])).toEqual([
      [cook.teamId, "owner"],
      [shared.id, "member"],
    ]);
    expect(data.teamsOwned.map((team) => team.id)).toEqual([cook.teamId]);
    expect(data.recipes.map((r) => r.title)).toEqual(["Cy's stew"]);
    expect(data.photos.map((photo) => photo.recipeId)).toEqual([mine!.id]);
    // Billing is the owner's: a member's export has no subscription of the team.
    expect(data.subscriptions).toEqual([]);
    const text = JSON.stringify(data);
    for (const foreign of [owner.email, theirs!.id, "Olga's stew", owner.customerId])
      expect(text).not.toContain(foreign);

    // The owner's export names the shared team among the teams they own, with its subscription.
    const owners = (await exportAccountData(db, owner.id))!;
    expect(owners.teamsOwned.map((team) => team.id).sort()).toEqual([owner.teamId, shared.id].sort());
    expect(owners.subscriptions).toHaveLength(2);
  });
});

describe("deleteAccount", () => {
  beforeEach(() => cookieJar.clear());

  it("cancels the subscription at Stripe, deletes photos, the personal team and every row, keeps the payment record, says goodbye; the old cookie stops working", async () => {
    const ann = await cookWithData("Ann");
    const bob = await cookWithData("Bob");
    stripeHas(ann);
    const storage = (await getStorage())!;
    await flushAfterResponse(); // sign-up's emails are sent before the snapshot, not during it
    const bobBefore = await rowsOf(bob);

    const result = await deleteAccount(db, ann.id);
    expect(result).toEqual({ subscriptionsCanceled: 1, photosDeleted: 3 });

    // Stripe was asked to cancel exactly Ann's subscription, with a key that makes a retry safe.
    const cancels = fakeStripeApi.requestsTo("DELETE", `/v1/subscriptions/${ann.subscriptionId}`);
    expect(cancels).toHaveLength(1);
    expect(cancels[0]!.headers["idempotency-key"]).toBe(`account-deletion-${ann.subscriptionId}`);
    expect(fakeStripeApi.requestsTo("DELETE", `/v1/subscriptions/${bob.subscriptionId}`)).toHaveLength(0);

    // The payment record stays for the books, canceled, with no team's name on it.
    const [record] = await db
      .select()
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.id, ann.subscriptionId));
    expect(record).toMatchObject({
      organizationId: null,
      status: "canceled",
      customerId: ann.customerId,
      priceId: "price_pro",
    });

    // Every other row of Ann's and of her personal team is gone; only the goodbye email is left to send.
    expect(await rowsOf(ann)).toEqual({
      user: 0,
      sessions: 0,
      accounts: 0,
      memberships: 0,
      personalTeam: 0,
      recipes: 0,
      uploads: 0,
      aiGenerations: 0,
      realtimeEvents: 0,
      subscriptions: 0,
      emails: 1,
    });
    expect(await db.$count(schema.recipes, eq(schema.recipes.id, ann.recipeId))).toBe(0);
    const leftInInbox = await db.select().from(schema.webhookEvents).where(eq(schema.webhookEvents.provider, "stripe"));
    expect(JSON.stringify(leftInInbox)).not.toContain(ann.customerId);
    for (const key of [ann.photoKey, ann.strayKey, ann.legacyKey]) expect(await statObject(storage, key)).toBeNull();

    // The goodbye, through the pipeline.
    await flushAfterResponse();
    const [goodbye] = await db.select().from(schema.emails).where(eq(schema.emails.to, ann.email));
    expect(goodbye).toMatchObject({ template: "account-deleted", status: "sent" });
    expect(goodbye!.html).toContain("subscription is canceled");

    // Ann's old cookie is nobody's session any more, at once.
    expect(await auth.api.getSession({ headers: ann.browser })).toBeNull();

    // Bob is untouched: rows, team, photo, subscription, session.
    expect(await rowsOf(bob)).toEqual(bobBefore);
    expect(await statObject(storage, bob.photoKey)).not.toBeNull();
    expect((await auth.api.getSession({ headers: bob.browser }))?.user.id).toBe(bob.id);
  });

  it("stops before deleting anything when Stripe fails, and a retry then completes", async () => {
    const cam = await cookWithData("Cam");
    stripeHas(cam);
    fakeStripeApi.route("DELETE", `/v1/subscriptions/${cam.subscriptionId}`, () => ({
      status: 500,
      body: stripeErrorBody("api_error", "Something went wrong on Stripe's end."),
    }));
    const before = await rowsOf(cam);

    const failure = await deleteAccount(db, cam.id).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AccountDeletionError);
    expect((failure as AccountDeletionError).step).toBe("billing");
    expect(await rowsOf(cam)).toEqual(before);
    expect(await statObject((await getStorage())!, cam.photoKey)).not.toBeNull();
    expect((await auth.api.getSession({ headers: cam.browser }))?.user.id).toBe(cam.id);

    stripeHas(cam);
    expect(await deleteAccount(db, cam.id)).toEqual({ subscriptionsCanceled: 1, photosDeleted: 3 });
    expect(await rowsOf(cam)).toMatchObject({ user: 0, personalTeam: 0 });
  });

  it("with a simulated subscription records it canceled without calling Stripe; a suppressed address gets no goodbye", async () => {
    const dee = await signUpTestUser("Dee");
    await db.insert(schema.subscriptions).values({
      id: `sub_sim_${dee.id}`,
      organizationId: dee.teamId,
      customerId: `cus_sim_${dee.id}`,
      status: "active",
      lastEventAt: new Date(),
    });
    await db
      .update(schema.organization)
      .set({ stripeCustomerId: `cus_sim_${dee.id}` })
      .where(eq(schema.organization.id, dee.teamId));
    // Dee's address bounced once: the goodbye is recorded, never sent.
    await suppressAddress(db, dee.email, "bounced", null);
    const calls = fakeStripeApi.received.length;

    expect(await deleteAccount(db, dee.id)).toEqual({ subscriptionsCanceled: 1, photosDeleted: 0 });
    expect(fakeStripeApi.received.length).toBe(calls);
    const [record] = await db
      .select()
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.customerId, `cus_sim_${dee.id}`));
    expect(record).toMatchObject({ organizationId: null, status: "canceled" });
    await flushAfterResponse();
    const goodbyes = await db.select().from(schema.emails).where(eq(schema.emails.to, dee.email));
    expect(goodbyes.map((email) => [email.template, email.status])).toEqual([["account-deleted", "suppressed"]]);
  });

  it("is refused while the user is the only owner of a team, and deletes nothing; once someone else owns it, it goes through", async () => {
    const eli = await cookWithData("Eli");
    const fay = await signUpTestUser("Fay");
    const bistro = await createTeam(db, { name: "Eli's Bistro", ownerId: eli.id });
    await addMember(db, bistro.id, fay.id, "admin");
    stripeHas(eli);
    const calls = fakeStripeApi.received.length;
    const before = await rowsOf(eli);

    const refusal = await deleteAccount(db, eli.id).catch((error: unknown) => error);
    expect(refusal).toMatchObject({
      kind: "conflict",
      reason: "only-owner-of-teams",
      message: expect.stringContaining("You are the only owner of Eli's Bistro."),
    });
    // Nothing happened: no call to Stripe, no photo deleted, every row and the session still there.
    expect(fakeStripeApi.received.length).toBe(calls);
    expect(await rowsOf(eli)).toEqual(before);
    expect(await db.$count(schema.organization, eq(schema.organization.id, bistro.id))).toBe(1);
    expect(await statObject((await getStorage())!, eli.photoKey)).not.toBeNull();
    expect((await auth.api.getSession({ headers: eli.browser }))?.user.id).toBe(eli.id);

    const [fayMembership] = await db
      .select({ id: schema.member.id })
      .from(schema.member)
      .where(and(eq(schema.member.organizationId, bistro.id), eq(schema.member.userId, fay.id)));
    await transferOwnership(db, { teamId: bistro.id, ownerId: eli.id, memberId: fayMembership!.id });

    expect(await deleteAccount(db, eli.id)).toEqual({ subscriptionsCanceled: 1, photosDeleted: 3 });
    expect(await rowsOf(eli)).toMatchObject({ user: 0, memberships: 0, personalTeam: 0 });
    // The team stays, with Fay as its owner.
    expect(
      await db
        .select({ role: schema.member.role })
        .from(schema.member)
        .where(eq(schema.member.organizationId, bistro.id)),
    ).toEqual([{ role: "owner" }]);
  });

  it("leaves the recipes and photos a member wrote in another team there, unsigned, and frees their seat", async () => {
    const owner = await signUpTestUser("Gus");
    const team = await createTeam(db, { name: "Gus's Diner", ownerId: owner.id });
    const hal = await cookWithData("Hal");
    await addMember(db, team.id, hal.id, "member");
    const [written] = await db
      .insert(schema.recipes)
      .values({ organizationId: team.id, createdBy: hal.id, title: "Hal's chowder" })
      .returning();
    const [photo] = await db
      .insert(schema.uploads)
      .values({
        key: `${team.id}/${randomUUID()}`,
        organizationId: team.id,
        userId: hal.id,
        recipeId: written!.id,
        contentType: "image/png",
        size: PNG_1PX.length,
        status: "attached",
        expiresAt: new Date(),
      })
      .returning();
    stripeHas(hal);
    const seatsVersion = async () => {
      const [row] = await db
        .select({ version: schema.organization.seatsVersion })
        .from(schema.organization)
        .where(eq(schema.organization.id, team.id));
      return row!.version;
    };
    const seatsBefore = await seatsVersion();

    await deleteAccount(db, hal.id);

    // In the other team the recipe and its photo stay, with nobody's name on them.
    expect(await db.select().from(schema.recipes).where(eq(schema.recipes.id, written!.id))).toEqual([
      expect.objectContaining({ organizationId: team.id, createdBy: null, title: "Hal's chowder" }),
    ]);
    expect(await db.select().from(schema.uploads).where(eq(schema.uploads.id, photo!.id))).toEqual([
      expect.objectContaining({ organizationId: team.id, userId: null, recipeId: written!.id }),
    ]);
    // Hal's seat is free, and the team's members hear that he left.
    expect(
      await db
        .select({ userId: schema.member.userId })
        .from(schema.member)
        .where(eq(schema.member.organizationId, team.id)),
    ).toEqual([{ userId: owner.id }]);
    expect(await seatsVersion()).toBe(seatsBefore + 1);
    const teamEvents = await db
      .select()
      .from(schema.realtimeEvents)
      .where(eq(schema.realtimeEvents.organizationId, team.id));
    expect(teamEvents.map((event) => [event.type, event.data])).toContainEqual([
      "member.changed",
      { userId: hal.id, change: "removed", teamId: team.id },
    ]);
    // His personal team went, with the recipe he wrote there.
    expect(await rowsOf(hal)).toMatchObject({ user: 0, personalTeam: 0, memberships: 0 });
    expect(await db.$count(schema.recipes, eq(schema.recipes.id, hal.recipeId))).toBe(0);
  });
});

describe("sessions", () => {
  it("lists the user's devices; revoking one ends it at once, and 'all others' keeps only the current one", async () => {
    const cook = await signUpTestUser("Eve");
    const first = await headers();
    const signIn = (userAgent: string) => {
      cookieJar.clear();
      return signInOnAnotherDevice(cook.email, userAgent);
    };
    const phone = await signIn(
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Mobile Safari/604.1",
    );
    const laptop = await signIn("Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0");
    const current = (await auth.api.getSession({ headers: first }))!.session;
    const phoneSession = (await auth.api.getSession({ headers: phone }))!.session;

    const listed = await listActiveSessions(db, cook.id, current.id);
    expect(listed.map((s) => [s.device, s.current])).toEqual([
      ["Unknown device", true], // signed in by the confirmation link, called here with no User-Agent
      ...listed.slice(1).map((s) => [s.device, false]),
    ]);
    expect(
      listed
        .slice(1)
        .map((s) => s.device)
        .sort(),
    ).toEqual(["Firefox on Linux", "Safari on iOS"]);

    // Another user cannot end this user's session by its id.
    const other = await signUpTestUser("Mallory");
    expect(await revokeSession(db, other.id, phoneSession.id)).toBe(false);
    expect(await auth.api.getSession({ headers: phone })).not.toBeNull();

    expect(await revokeSession(db, cook.id, phoneSession.id)).toBe(true);
    expect(await auth.api.getSession({ headers: phone })).toBeNull();
    expect(await auth.api.getSession({ headers: laptop })).not.toBeNull();

    expect(await revokeOtherSessions(db, cook.id, current.id)).toBe(1);
    expect(await auth.api.getSession({ headers: laptop })).toBeNull();
    expect((await auth.api.getSession({ headers: first }))?.session.id).toBe(current.id);
  });
});

describe("knownAddress", () => {
  it("keeps a real client address and calls the unspecified or a missing one unknown (null)", () => {
    expect(knownAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(knownAddress("2001:db8::1")).toBe("2001:db8::1");
    for (const unknown of [null, "", "::", "0000:0000:0000:0000:0000:0000:0000:0000", "0.0.0.0", "not-an-ip"])
      expect(knownAddress(unknown), String(unknown)).toBeNull();
  });
});

describe("last seen", () => {
  it("moves when a page reads a session not seen for a few minutes, and not on every request", async () => {
    const cook = await signUpTestUser("Seen");
    const longAgo = new Date(Date.now() - 60 * 60_000);
    await db.update(schema.session).set({ updatedAt: longAgo }).where(eq(schema.session.userId, cook.id));
    const { getSession } = await import("@/lib/auth");
    const before = Date.now();
    await getSession();
    await flushAfterResponse();
    const [seen] = await db.select().from(schema.session).where(eq(schema.session.userId, cook.id));
    expect(seen!.updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);

    // Seen a moment ago: a second request writes nothing.
    await markSessionSeen(db, seen!.id, new Date(Date.now() + 60_000));
    const [again] = await db.select().from(schema.session).where(eq(schema.session.userId, cook.id));
    expect(again!.updatedAt).toEqual(seen!.updatedAt);
  });
});
