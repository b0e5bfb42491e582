import { randomUUID } from "node:crypto";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auth } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { suppressAddress } from "@/lib/email";
import { getStorage, statObject } from "@/lib/storage";
import { fakeStripeApi, stripeErrorBody } from "@/tests/support/fake-stripe";
import { cookieJar, headers } from "@/tests/support/next/headers";
import { PNG_1PX } from "@/tests/support/photos";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { signInOnAnotherDevice, signUpTestUser } from "@/tests/support/users";
import { AccountDeletionError, deleteAccount } from "./delete";
import { exportAccountData } from "./export";
import { listActiveSessions, markSessionSeen, revokeOtherSessions, revokeSession } from "./sessions";

vi.mock("next/headers", () => import("@/tests/support/next/headers"));
vi.mock("@/lib/jobs/after", () => import("@/tests/support/run-after-response"));
// The real Stripe SDK, as with STRIPE_SECRET_KEY set, talking HTTP to a local fake of Stripe's API.
vi.mock("@/lib/stripe", async (importOriginal) =>
  (await import("@/tests/support/fake-stripe")).mockStripeModule(importOriginal),
);

beforeAll(async () => {
  await db.select().from(schema.user).limit(1);
  await getStorage(); // the local S3 server starts here, not inside the first test
});
afterAll(() => fakeStripeApi.close());

/** A cook with everything the app stores about someone: recipes, a photo in the bucket, AI drafts, Pro, events. */
async function cookWithData(name: string) {
  const cook = await signUpTestUser(name);
  const browser = await headers();
  const session = (await auth.api.getSession({ headers: browser }))!;
  const customerId = `cus_${randomUUID().slice(0, 12)}`;
  const subscriptionId = `sub_${randomUUID().slice(0, 12)}`;
  await db.update(schema.user).set({ stripeCustomerId: customerId }).where(eq(schema.user.id, cook.id));
  await db.insert(schema.subscriptions).values({
    id: subscriptionId,
    userId: cook.id,
    customerId,
    status: "active",
    priceId: "price_pro",
    lastEventAt: new Date(Date.now() - 60_000),
  });
  const [recipe] = await db
    .insert(schema.recipes)
    .values({ userId: cook.id, title: `${name}'s soup`, ingredients: ["water"], published: true })
    .returning();
  const storage = (await getStorage())!;
  const photoKey = `${cook.id}/${randomUUID()}`;
  const strayKey = `${cook.id}/${randomUUID()}`; // an upload whose row was never completed
  for (const key of [photoKey, strayKey])
    await storage.client.send(
      new PutObjectCommand({ Bucket: storage.bucket, Key: key, Body: PNG_1PX, ContentType: "image/png" }),
    );
  await db.insert(schema.uploads).values({
    key: photoKey,
    userId: cook.id,
    recipeId: recipe!.id,
    contentType: "image/png",
    size: PNG_1PX.length,
    status: "attached",
    expiresAt: new Date(),
  });
  await db.insert(schema.aiGenerations).values({
    userId: cook.id,
    kind: "recipe-draft",
    model: "offline:sample",
    status: "succeeded",
    inputTokens: 10,
    outputTokens: 20,
  });
  await db.insert(schema.realtimeEvents).values({ userId: cook.id, type: "plan.changed", data: { plan: "pro" } });
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

/** Every row that points at the user, table by table. */
async function rowsOf(userId: string, email: string) {
  const count = async (table: Parameters<typeof db.$count>[0], where: Parameters<typeof db.$count>[1]) =>
    db.$count(table, where);
  return {
    user: await count(schema.user, eq(schema.user.id, userId)),
    sessions: await count(schema.session, eq(schema.session.userId, userId)),
    accounts: await count(schema.account, eq(schema.account.userId, userId)),
    recipes: await count(schema.recipes, eq(schema.recipes.userId, userId)),
    uploads: await count(schema.uploads, eq(schema.uploads.userId, userId)),
    aiGenerations: await count(schema.aiGenerations, eq(schema.aiGenerations.userId, userId)),
    realtimeEvents: await count(schema.realtimeEvents, eq(schema.realtimeEvents.userId, userId)),
    subscriptions: await count(schema.subscriptions, eq(schema.subscriptions.userId, userId)),
    emails: await count(schema.emails, eq(schema.emails.to, email)),
  };
}

describe("exportAccountData", () => {
  it("holds exactly the user's rows, none of another user's, and no password hash or token", async () => {
    const ann = await cookWithData("Ann");
    const bob = await cookWithData("Bob");

    const data = (await exportAccountData(db, ann.id))!;
    expect(data.profile).toMatchObject({ id: ann.id, email: ann.email, name: "Ann" });
    expect(data.recipes.map((r) => r.id)).toEqual([ann.recipeId]);
    expect(data.subscriptions.map((s) => s.id)).toEqual([ann.subscriptionId]);
    expect(data.photos).toHaveLength(1);
    expect(data.aiGenerations).toHaveLength(1);
    expect(data.sessions).toHaveLength(1);
    expect(data.signInMethods.map((m) => m.provider)).toEqual(["credential"]);
    // The confirmation and welcome emails of sign-up, to this address only.
    expect(data.emails.map((e) => e.template).sort()).toEqual(["verify-email", "welcome"]);
    expect(data.emails.every((e) => e.to === ann.email)).toBe(true);

    const text = JSON.stringify(data);
    for (const foreign of [bob.id, bob.email, bob.recipeId, bob.subscriptionId, bob.customerId, "Bob's soup"])
      expect(text).not.toContain(foreign);
    const [credential] = await db.select().from(schema.account).where(eq(schema.account.userId, ann.id));
    const sessions = await db.select().from(schema.session).where(eq(schema.session.userId, ann.id));
    expect(text).not.toContain(credential!.password!);
    for (const session of sessions) expect(text).not.toContain(session.token);
    expect(text).not.toMatch(/"(password|token|accessToken|refreshToken|idToken|html|props)"/);
    // The sign-up emails' links carry tokens: the export has no email bodies.
    expect(text).not.toContain("verify-email?token");
  });
});

describe("deleteAccount", () => {
  beforeEach(() => cookieJar.clear());

  it("cancels the subscription at Stripe, deletes photos and every row, keeps the payment record, says goodbye; the old cookie stops working", async () => {
    const ann = await cookWithData("Ann");
    const bob = await cookWithData("Bob");
    stripeHas(ann);
    const storage = (await getStorage())!;
    await flushAfterResponse(); // sign-up's emails are sent before the snapshot, not during it
    const bobBefore = await rowsOf(bob.id, bob.email);

    const result = await deleteAccount(db, ann.id);
    expect(result).toEqual({ subscriptionsCanceled: 1, photosDeleted: 2 });

    // Stripe was asked to cancel exactly Ann's subscription, with a key that makes a retry safe.
    const cancels = fakeStripeApi.requestsTo("DELETE", `/v1/subscriptions/${ann.subscriptionId}`);
    expect(cancels).toHaveLength(1);
    expect(cancels[0]!.headers["idempotency-key"]).toBe(`account-deletion-${ann.subscriptionId}`);
    expect(fakeStripeApi.requestsTo("DELETE", `/v1/subscriptions/${bob.subscriptionId}`)).toHaveLength(0);

    // The payment record stays for the books, canceled, with no one's name on it.
    const [record] = await db
      .select()
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.id, ann.subscriptionId));
    expect(record).toMatchObject({
      userId: null,
      status: "canceled",
      customerId: ann.customerId,
      priceId: "price_pro",
    });

    // Every other row of Ann's is gone; only the goodbye email is left to send.
    expect(await rowsOf(ann.id, ann.email)).toEqual({
      user: 0,
      sessions: 0,
      accounts: 0,
      recipes: 0,
      uploads: 0,
      aiGenerations: 0,
      realtimeEvents: 0,
      subscriptions: 0,
      emails: 1,
    });
    const leftInInbox = await db.select().from(schema.webhookEvents).where(eq(schema.webhookEvents.provider, "stripe"));
    expect(JSON.stringify(leftInInbox)).not.toContain(ann.customerId);
    expect(await statObject(storage, ann.photoKey)).toBeNull();
    expect(await statObject(storage, ann.strayKey)).toBeNull();

    // The goodbye, through the pipeline.
    await flushAfterResponse();
    const [goodbye] = await db.select().from(schema.emails).where(eq(schema.emails.to, ann.email));
    expect(goodbye).toMatchObject({ template: "account-deleted", status: "sent" });
    expect(goodbye!.html).toContain("subscription is canceled");

    // Ann's old cookie is nobody's session any more, at once.
    expect(await auth.api.getSession({ headers: ann.browser })).toBeNull();

    // Bob is untouched: rows, photo, subscription, session.
    expect(await rowsOf(bob.id, bob.email)).toEqual(bobBefore);
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
    const before = await rowsOf(cam.id, cam.email);

    const failure = await deleteAccount(db, cam.id).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AccountDeletionError);
    expect((failure as AccountDeletionError).step).toBe("billing");
    expect(await rowsOf(cam.id, cam.email)).toEqual(before);
    expect(await statObject((await getStorage())!, cam.photoKey)).not.toBeNull();
    expect((await auth.api.getSession({ headers: cam.browser }))?.user.id).toBe(cam.id);

    stripeHas(cam);
    expect(await deleteAccount(db, cam.id)).toEqual({ subscriptionsCanceled: 1, photosDeleted: 2 });
    expect((await rowsOf(cam.id, cam.email)).user).toBe(0);
  });

  it("with a simulated subscription records it canceled without calling Stripe; a suppressed address gets no goodbye", async () => {
    const dee = await signUpTestUser("Dee");
    await db.insert(schema.subscriptions).values({
      id: `sub_sim_${dee.id}`,
      userId: dee.id,
      customerId: `cus_sim_${dee.id}`,
      status: "active",
      lastEventAt: new Date(),
    });
    await db
      .update(schema.user)
      .set({ stripeCustomerId: `cus_sim_${dee.id}` })
      .where(eq(schema.user.id, dee.id));
    // Dee's address bounced once: the goodbye is recorded, never sent.
    await suppressAddress(db, dee.email, "bounced", null);
    const calls = fakeStripeApi.received.length;

    expect(await deleteAccount(db, dee.id)).toEqual({ subscriptionsCanceled: 1, photosDeleted: 0 });
    expect(fakeStripeApi.received.length).toBe(calls);
    const [record] = await db
      .select()
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.customerId, `cus_sim_${dee.id}`));
    expect(record).toMatchObject({ userId: null, status: "canceled" });
    await flushAfterResponse();
    const goodbyes = await db.select().from(schema.emails).where(eq(schema.emails.to, dee.email));
    expect(goodbyes.map((email) => [email.template, email.status])).toEqual([["account-deleted", "suppressed"]]);
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
