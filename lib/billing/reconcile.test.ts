import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, schema } from "@/lib/db";
import { sampleSubscription, simulatedId } from "@/lib/dev-tools/stripe-events";
import { fakeStripeApi, stripeErrorBody } from "@/tests/support/fake-stripe";
import { getTeamPlan } from "./plans";
import { reconcileSubscriptions } from "./reconcile";

// The real SDK, as with STRIPE_SECRET_KEY set, but talking HTTP to a local fake of Stripe's API.
vi.mock("@/lib/billing/stripe", async (importOriginal) =>
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

/** A team our database believes is Pro: linked to a customer, with an active subscription row of `seats`. */
async function believedPro({ customerId = simulatedId("cus"), members = 1 } = {}) {
  const teamId = randomUUID();
  await db.insert(schema.organization).values({
    id: teamId,
    name: "Reconciled Kitchen",
    slug: `reconciled-${teamId}`,
    stripeCustomerId: customerId,
  });
  for (let i = 0; i < members; i++) {
    const [cook] = await db
      .insert(schema.user)
      .values({ id: randomUUID(), name: "Reconciled Cook", email: `reconcile-${randomUUID()}@example.test` })
      .returning();
    await db
      .insert(schema.member)
      .values({ id: randomUUID(), organizationId: teamId, userId: cook!.id, role: i === 0 ? "owner" : "member" });
  }
  const subscriptionId = simulatedId("sub");
  await db.insert(schema.subscriptions).values({
    id: subscriptionId,
    organizationId: teamId,
    customerId,
    status: "active",
    priceId: "price_test_pro",
    quantity: members,
    lastEventAt: anHourAgo(),
  });
  return { teamId, customerId, subscriptionId };
}

/** The realtime events stored for a team: what its members' open pages were (or, on reconnect, will be) sent. */
async function realtimeEventsOf(teamId: string) {
  return db
    .select({ type: schema.realtimeEvents.type, data: schema.realtimeEvents.data })
    .from(schema.realtimeEvents)
    .where(eq(schema.realtimeEvents.organizationId, teamId))
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
        teamId: missedCancel.teamId,
        status: "canceled",
        priceId: "price_test_pro",
      }),
    ]);
    const stillPro = await believedPro();
    stripeSide.set(stillPro.customerId, [
      sampleSubscription({
        id: stillPro.subscriptionId,
        customerId: stillPro.customerId,
        teamId: stillPro.teamId,
        status: "active",
        priceId: "price_test_pro",
        cancelAtPeriodEnd: true,
      }),
    ]);

    const result = await reconcileSubscriptions(db);

    expect(result).toMatchObject({ status: "done", failed: 0 });
    expect(await subscriptionRow(missedCancel.subscriptionId)).toMatchObject({ status: "canceled" });
    expect((await getTeamPlan(db, missedCancel.teamId)).plan.id).toBe("free");
    // Refreshed from Stripe: still Pro, now with the period end and the scheduled cancellation.
    expect(await subscriptionRow(stillPro.subscriptionId)).toMatchObject({
      status: "active",
      cancelAtPeriodEnd: true,
      currentPeriodEnd: expect.any(Date),
    });
    expect((await getTeamPlan(db, stillPro.teamId)).plan.id).toBe("pro");
    // The repaired user's open dashboard turns Free; the one whose plan stayed Pro hears nothing.
    expect(await realtimeEventsOf(missedCancel.teamId)).toEqual([
      { type: "plan.changed", data: { plan: "free", planName: "Free", recipeLimit: 3, teamId: missedCancel.teamId } },
    ]);
    expect(await realtimeEventsOf(stillPro.teamId)).toEqual([]);
    // It asked Stripe about each customer, including canceled subscriptions.
    const asked = fakeStripeApi
      .requestsTo("GET", "/v1/subscriptions")
      .find((r) => r.query.customer === missedCancel.customerId);
    expect(asked?.query).toMatchObject({ status: "all" });
  });

  it("adds a subscription whose events never arrived at all", async () => {
    const { teamId, customerId } = await believedPro();
    const unseen = simulatedId("sub");
    stripeSide.set(customerId, [
      sampleSubscription({ id: unseen, customerId, teamId, status: "trialing", priceId: "price_test_pro" }),
    ]);

    await reconcileSubscriptions(db);

    expect(await subscriptionRow(unseen)).toMatchObject({ organizationId: teamId, customerId, status: "trialing" });
  });

  it("turns Pro a customer whose paid subscription never reached us, and tells their open pages", async () => {
    const { teamId, customerId, subscriptionId } = await believedPro();
    await db.delete(schema.subscriptions).where(eq(schema.subscriptions.id, subscriptionId));
    expect((await getTeamPlan(db, teamId)).plan.id).toBe("free");
    stripeSide.set(customerId, [sampleSubscription({ id: subscriptionId, customerId, teamId, status: "active" })]);

    await reconcileSubscriptions(db);

    expect((await getTeamPlan(db, teamId)).plan.id).toBe("pro");
    expect(await realtimeEventsOf(teamId)).toEqual([
      { type: "plan.changed", data: { plan: "pro", planName: "Pro", recipeLimit: null, teamId } },
    ]);
    // A second run refreshes the same row but changes no plan: nothing more is announced.
    await reconcileSubscriptions(db);
    expect(await realtimeEventsOf(teamId)).toHaveLength(1);
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
    const { teamId, customerId, subscriptionId } = await believedPro();
    // A webhook applied a minute from now (clock skew, or an event that raced the reconciliation).
    await db
      .update(schema.subscriptions)
      .set({ status: "past_due", lastEventAt: new Date(Date.now() + 60_000) })
      .where(eq(schema.subscriptions.id, subscriptionId));
    stripeSide.set(customerId, [sampleSubscription({ id: subscriptionId, customerId, teamId, status: "active" })]);

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

  it("sets a live subscription's seats back to the team's member count when Stripe's drifted", async () => {
    // A real (not simulated) customer: the seat sync talks to Stripe.
    const drifted = await believedPro({ customerId: `cus_test${randomUUID().slice(0, 8)}`, members: 2 });
    const item = `si_test${randomUUID().slice(0, 8)}`;
    const onStripe = () =>
      sampleSubscription({
        id: drifted.subscriptionId,
        customerId: drifted.customerId,
        teamId: drifted.teamId,
        status: "active",
        quantity: 5,
        priceId: "price_test_pro",
      });
    // Someone changed the quantity in Stripe's dashboard: 5 seats for a team of 2.
    stripeSide.set(drifted.customerId, [onStripe()]);
    fakeStripeApi.route("GET", `/v1/subscriptions/${drifted.subscriptionId}`, () => ({
      status: 200,
      body: { ...onStripe(), items: { ...onStripe().items, data: [{ ...onStripe().items.data[0], id: item }] } },
    }));
    fakeStripeApi.route("POST", `/v1/subscriptions/${drifted.subscriptionId}`, () => ({
      status: 200,
      body: onStripe(),
    }));

    const result = await reconcileSubscriptions(db);

    expect(result).toMatchObject({ status: "done", seatsFixed: 1 });
    const [update] = fakeStripeApi.requestsTo("POST", `/v1/subscriptions/${drifted.subscriptionId}`);
    expect(update?.form).toMatchObject({
      "items[0][id]": item,
      "items[0][quantity]": "2",
      proration_behavior: "create_prorations",
    });
    expect(update?.headers["idempotency-key"]).toMatch(new RegExp(`^seats-${drifted.subscriptionId}-v\\d+$`));
    expect((await subscriptionRow(drifted.subscriptionId))?.quantity).toBe(2);
  });
});
