import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, schema } from "@/lib/db";
import { sampleSubscription, simulatedId } from "@/lib/dev-tools/stripe-events";
import { fakeStripeApi, stripeErrorBody } from "@/tests/support/fake-stripe";
import { getUserPlan } from "./plans";
import { reconcileSubscriptions } from "./reconcile";

// The real SDK, as with STRIPE_SECRET_KEY set, but talking HTTP to a local fake of Stripe's API.
vi.mock("@/lib/stripe", async (importOriginal) =>
  (await import("@/tests/support/fake-stripe")).mockStripeModule(importOriginal),
);

// The first query migrates the in-memory database: a hook's timeout on a loaded machine, not the first test's.
beforeAll(() => db.select({ id: schema.user.id }).from(schema.user).limit(1), 120_000);
afterAll(() => fakeStripeApi.close());

/** What Stripe holds, by customer: the fake answers `GET /v1/subscriptions?customer=…` from it. */
const stripeSide = new Map<string, ReturnType<typeof sampleSubscription>[]>();
const deletedCustomers = new Set<string>();
const failingCustomers = new Set<string>();
fakeStripeApi.route("GET", "/v1/subscriptions", ({ query }) => {
  const customer = query.customer!;
  if (failingCustomers.has(customer))
    return { status: 401, body: stripeErrorBody("invalid_request_error", "Invalid API Key provided") };
  if (deletedCustomers.has(customer)) {
    return {
      status: 400,
      body: stripeErrorBody("invalid_request_error", `No such customer: '${customer}'`, {
        code: "resource_missing",
        param: "customer",
      }),
    };
  }
  return {
    status: 200,
    body: { object: "list", url: "/v1/subscriptions", has_more: false, data: stripeSide.get(customer) ?? [] },
  };
});

const anHourAgo = () => new Date(Date.now() - 3600_000);

/** A user our database believes is Pro: linked to a customer, with an active subscription row. */
async function believedPro() {
  const customerId = simulatedId("cus");
  const [owner] = await db
    .insert(schema.user)
    .values({
      id: randomUUID(),
      name: "Reconciled Cook",
      email: `reconcile-${randomUUID()}@example.test`,
      stripeCustomerId: customerId,
    })
    .returning();
  const subscriptionId = simulatedId("sub");
  await db.insert(schema.subscriptions).values({
    id: subscriptionId,
    userId: owner!.id,
    customerId,
    status: "active",
    priceId: "price_test_pro",
    lastEventAt: anHourAgo(),
  });
  return { userId: owner!.id, customerId, subscriptionId };
}

/** The realtime events stored for a user: what their open pages were (or, on reconnect, will be) sent. */
async function realtimeEventsOf(userId: string) {
  return db
    .select({ type: schema.realtimeEvents.type, data: schema.realtimeEvents.data })
    .from(schema.realtimeEvents)
    .where(eq(schema.realtimeEvents.userId, userId))
    .orderBy(asc(schema.realtimeEvents.id));
}

async function subscriptionRow(id: string) {
  const [row] = await db.select().from(schema.subscriptions).where(eq(schema.subscriptions.id, id));
  return row;
}

describe("reconcileSubscriptions", () => {
  it("cancels a subscription whose cancellation event never arrived, and leaves correct ones alone", async () => {
    const missedCancel = await believedPro();
    stripeSide.set(missedCancel.customerId, [
      sampleSubscription({
        id: missedCancel.subscriptionId,
        customerId: missedCancel.customerId,
        userId: missedCancel.userId,
        status: "canceled",
        priceId: "price_test_pro",
      }),
    ]);
    const stillPro = await believedPro();
    stripeSide.set(stillPro.customerId, [
      sampleSubscription({
        id: stillPro.subscriptionId,
        customerId: stillPro.customerId,
        userId: stillPro.userId,
        status: "active",
        priceId: "price_test_pro",
        cancelAtPeriodEnd: true,
      }),
    ]);

    const result = await reconcileSubscriptions(db);

    expect(result).toMatchObject({ status: "done", failed: 0 });
    expect(await subscriptionRow(missedCancel.subscriptionId)).toMatchObject({ status: "canceled" });
    expect((await getUserPlan(db, missedCancel.userId)).plan.id).toBe("free");
    // Refreshed from Stripe: still Pro, now with the period end and the scheduled cancellation.
    expect(await subscriptionRow(stillPro.subscriptionId)).toMatchObject({
      status: "active",
      cancelAtPeriodEnd: true,
      currentPeriodEnd: expect.any(Date),
    });
    expect((await getUserPlan(db, stillPro.userId)).plan.id).toBe("pro");
    // The repaired user's open dashboard turns Free; the one whose plan stayed Pro hears nothing.
    expect(await realtimeEventsOf(missedCancel.userId)).toEqual([
      { type: "plan.changed", data: { plan: "free", planName: "Free", recipeLimit: 3 } },
    ]);
    expect(await realtimeEventsOf(stillPro.userId)).toEqual([]);
    // It asked Stripe about each customer, including canceled subscriptions.
    const asked = fakeStripeApi
      .requestsTo("GET", "/v1/subscriptions")
      .find((r) => r.query.customer === missedCancel.customerId);
    expect(asked?.query).toMatchObject({ status: "all" });
  });

  it("adds a subscription whose events never arrived at all", async () => {
    const { userId, customerId } = await believedPro();
    const unseen = simulatedId("sub");
    stripeSide.set(customerId, [
      sampleSubscription({ id: unseen, customerId, userId, status: "trialing", priceId: "price_test_pro" }),
    ]);

    await reconcileSubscriptions(db);

    expect(await subscriptionRow(unseen)).toMatchObject({ userId, customerId, status: "trialing" });
  });

  it("turns Pro a customer whose paid subscription never reached us, and tells their open pages", async () => {
    const { userId, customerId, subscriptionId } = await believedPro();
    await db.delete(schema.subscriptions).where(eq(schema.subscriptions.id, subscriptionId));
    expect((await getUserPlan(db, userId)).plan.id).toBe("free");
    stripeSide.set(customerId, [sampleSubscription({ id: subscriptionId, customerId, userId, status: "active" })]);

    await reconcileSubscriptions(db);

    expect((await getUserPlan(db, userId)).plan.id).toBe("pro");
    expect(await realtimeEventsOf(userId)).toEqual([
      { type: "plan.changed", data: { plan: "pro", planName: "Pro", recipeLimit: null } },
    ]);
    // A second run refreshes the same row but changes no plan: nothing more is announced.
    await reconcileSubscriptions(db);
    expect(await realtimeEventsOf(userId)).toHaveLength(1);
  });

  it("cancels what Stripe no longer has: a subscription missing from the list, or a deleted customer's", async () => {
    const vanished = await believedPro();
    stripeSide.set(vanished.customerId, []);
    const deleted = await believedPro();
    deletedCustomers.add(deleted.customerId);

    await reconcileSubscriptions(db);

    expect((await subscriptionRow(vanished.subscriptionId))?.status).toBe("canceled");
    expect((await subscriptionRow(deleted.subscriptionId))?.status).toBe("canceled");
  });

  it("does not overwrite an event newer than its answer", async () => {
    const { userId, customerId, subscriptionId } = await believedPro();
    // A webhook applied a minute from now (clock skew, or an event that raced the reconciliation).
    await db
      .update(schema.subscriptions)
      .set({ status: "past_due", lastEventAt: new Date(Date.now() + 60_000) })
      .where(eq(schema.subscriptions.id, subscriptionId));
    stripeSide.set(customerId, [sampleSubscription({ id: subscriptionId, customerId, userId, status: "active" })]);

    await reconcileSubscriptions(db);

    expect((await subscriptionRow(subscriptionId))?.status).toBe("past_due");
  });

  it("carries on past a customer Stripe fails for, and reports it", async () => {
    const failing = await believedPro();
    failingCustomers.add(failing.customerId);
    const healthy = await believedPro();
    stripeSide.set(healthy.customerId, []);

    const result = await reconcileSubscriptions(db);

    expect(result).toMatchObject({ status: "done", failed: 1 });
    expect((await subscriptionRow(failing.subscriptionId))?.status).toBe("active");
    expect((await subscriptionRow(healthy.subscriptionId))?.status).toBe("canceled");
  });
});
