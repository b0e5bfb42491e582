import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/stripe/route";
import { getTeamPlan } from "@/lib/billing";
import { createPostgresDatabase, db, schema } from "@/lib/db";
import { addMember, createPersonalTeam, createTeam } from "@/lib/teams";
import { processWebhookEvent } from "@/lib/webhooks/process";
import { replayWebhookEvent } from "@/lib/webhooks/replay";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { findEvent } from "@/tests/support/webhooks";
import {
  sampleCheckoutSession,
  sampleEvent,
  sampleInvoice,
  sampleSubscription,
  signedStripeDelivery,
  simulatedId,
  type SampleSubscriptionInput,
} from "@/lib/dev-tools/stripe-events";

// The embedded database migrates on first use: a hook's timeout, not a test's.
beforeAll(() => db.select().from(schema.user).limit(1), 180_000);

/** A user row as Better Auth stores it; the handlers only need it to exist. */
async function createUser(name = "Billing Cook") {
  const [row] = await db
    .insert(schema.user)
    .values({ id: randomUUID(), name, email: `billing-${randomUUID()}@example.test` })
    .returning();
  return row!;
}

/** A team and its owner, optionally already linked to a Stripe customer. */
async function teamWithOwner(customerId?: string) {
  const owner = await createUser("Billing Owner");
  const team = await createTeam(db, { name: "Billing Kitchen", ownerId: owner.id });
  if (customerId)
    await db
      .update(schema.organization)
      .set({ stripeCustomerId: customerId })
      .where(eq(schema.organization.id, team.id));
  return { owner, team };
}

/** Delivers events through the real route, then runs the jobs they queued, as after the response. */
async function deliver(...events: { id: string }[]) {
  for (const event of events) {
    const { body, headers } = signedStripeDelivery(event);
    const response = await POST(new Request("http://localhost/api/webhooks/stripe", { method: "POST", body, headers }));
    expect(response.status).toBe(200);
    await flushAfterResponse();
  }
}

async function subscriptionRow(id: string) {
  const [row] = await db.select().from(schema.subscriptions).where(eq(schema.subscriptions.id, id));
  return row;
}

async function teamRow(id: string) {
  const [row] = await db.select().from(schema.organization).where(eq(schema.organization.id, id));
  return row!;
}

const planOf = async (teamId: string) => (await getTeamPlan(db, teamId)).plan.id;

const paymentFailedEmails = (to: string) =>
  db
    .select()
    .from(schema.emails)
    .where(and(eq(schema.emails.to, to), eq(schema.emails.template, "payment-failed")));

/** A Pro customer: a team (and its owner) linked to a customer with an active subscription, created at `created`. */
async function proCustomer(created = Math.floor(Date.now() / 1000) - 3600) {
  const customerId = simulatedId("cus");
  const { owner, team } = await teamWithOwner(customerId);
  const subscription: SampleSubscriptionInput = {
    id: simulatedId("sub"),
    customerId,
    teamId: team.id,
    status: "active",
    priceId: "price_test_pro",
  };
  await deliver(sampleEvent("customer.subscription.created", sampleSubscription(subscription), { created }));
  return { owner, team, customerId, subscription, created };
}

describe("checkout.session.completed", () => {
  it("links the customer to the team and makes it Pro, with nothing but the webhook (the buyer closed the tab)", async () => {
    const { owner: buyer, team } = await teamWithOwner();
    const customerId = simulatedId("cus");
    const subscriptionId = simulatedId("sub");
    expect(await planOf(team.id)).toBe("free");

    await deliver(
      sampleEvent(
        "checkout.session.completed",
        sampleCheckoutSession({
          teamId: team.id,
          buyerId: buyer.id,
          customerId,
          subscriptionId,
          email: buyer.email,
          seats: 3,
        }),
      ),
    );

    expect((await teamRow(team.id)).stripeCustomerId).toBe(customerId);
    expect(await subscriptionRow(subscriptionId)).toMatchObject({
      organizationId: team.id,
      customerId,
      status: "active",
      quantity: 3,
    });
    expect(await planOf(team.id)).toBe("pro");
  });

  it("makes the team Pro, not the buyer's personal team, and tells the team's open pages", async () => {
    const { owner: buyer, team } = await teamWithOwner();
    const personal = await createPersonalTeam(db, buyer);
    const subscriptionId = simulatedId("sub");

    await deliver(
      sampleEvent(
        "checkout.session.completed",
        sampleCheckoutSession({
          teamId: team.id,
          buyerId: buyer.id,
          customerId: simulatedId("cus"),
          subscriptionId,
          email: buyer.email,
        }),
      ),
    );

    expect(await planOf(team.id)).toBe("pro");
    expect(await planOf(personal.id)).toBe("free");
    expect((await teamRow(personal.id)).stripeCustomerId).toBeNull();
    const events = await db
      .select()
      .from(schema.realtimeEvents)
      .where(and(eq(schema.realtimeEvents.organizationId, team.id), eq(schema.realtimeEvents.type, "plan.changed")));
    expect(events.map((event) => event.data)).toEqual([
      { plan: "pro", planName: "Pro", recipeLimit: null, teamId: team.id },
    ]);
    expect(await db.$count(schema.realtimeEvents, eq(schema.realtimeEvents.userId, buyer.id))).toBe(0);
  });

  it("gives a session from before teams (it names only the buyer) to the buyer's personal team", async () => {
    const buyer = await createUser();
    const personal = await createPersonalTeam(db, buyer);
    const customerId = simulatedId("cus");
    const subscriptionId = simulatedId("sub");
    const session = sampleCheckoutSession({
      teamId: buyer.id,
      buyerId: buyer.id,
      customerId,
      subscriptionId,
      email: buyer.email,
    });

    await deliver(sampleEvent("checkout.session.completed", { ...session, metadata: { userId: buyer.id } }));

    expect(await subscriptionRow(subscriptionId)).toMatchObject({ organizationId: personal.id, status: "active" });
    expect((await teamRow(personal.id)).stripeCustomerId).toBe(customerId);
  });

  it("does not overwrite the details a newer subscription event already stored", async () => {
    const { owner, team, customerId, subscription, created } = await proCustomer();
    await deliver(
      sampleEvent("customer.subscription.updated", sampleSubscription({ ...subscription, status: "trialing" }), {
        created: created + 10,
      }),
    );

    const checkout = sampleCheckoutSession({
      teamId: team.id,
      buyerId: owner.id,
      customerId,
      subscriptionId: subscription.id,
      email: owner.email,
    });
    await deliver(sampleEvent("checkout.session.completed", checkout, { created: created + 5 }));

    expect(await subscriptionRow(subscription.id)).toMatchObject({
      status: "trialing",
      priceId: "price_test_pro",
      currentPeriodEnd: expect.any(Date),
    });
  });

  it("ignores a session that names no team or user of this app", async () => {
    const subscriptionId = simulatedId("sub");
    const event = sampleEvent(
      "checkout.session.completed",
      sampleCheckoutSession({
        teamId: randomUUID(),
        buyerId: randomUUID(),
        customerId: simulatedId("cus"),
        subscriptionId,
        email: "nobody@example.test",
      }),
    );

    await deliver(event);

    expect(await findEvent("stripe", event.id)).toMatchObject({ status: "processed" });
    expect(await subscriptionRow(subscriptionId)).toBeUndefined();
  });
});

describe("customer.subscription.*", () => {
  it("stores status, price, period end and cancel-at-period-end from the subscription", async () => {
    const { subscription, created } = await proCustomer();

    await deliver(
      sampleEvent("customer.subscription.updated", sampleSubscription({ ...subscription, cancelAtPeriodEnd: true }), {
        created: created + 60,
      }),
    );

    const row = await subscriptionRow(subscription.id);
    expect(row).toMatchObject({
      status: "active",
      priceId: "price_test_pro",
      cancelAtPeriodEnd: true,
      lastEventAt: new Date((created + 60) * 1000),
    });
    // The period end comes from the subscription item (API 2025-03 and later): 30 days after the item was created.
    expect(row?.currentPeriodEnd?.getTime()).toBeGreaterThan(Date.now() + 25 * 24 * 3600_000);
  });

  it("downgrades the team to Free when the subscription is deleted", async () => {
    const { team, subscription, created } = await proCustomer();
    expect(await planOf(team.id)).toBe("pro");

    await deliver(
      sampleEvent("customer.subscription.deleted", sampleSubscription({ ...subscription, status: "canceled" }), {
        created: created + 60,
      }),
    );

    expect(await subscriptionRow(subscription.id)).toMatchObject({ status: "canceled" });
    expect(await planOf(team.id)).toBe("free");
  });

  it("keeps a deleted subscription canceled when an older update arrives after the deletion", async () => {
    const { team, subscription, created } = await proCustomer();
    const updated = sampleEvent(
      "customer.subscription.updated",
      sampleSubscription({ ...subscription, status: "active" }),
      { created: created + 30 },
    );
    const deleted = sampleEvent(
      "customer.subscription.deleted",
      sampleSubscription({ ...subscription, status: "canceled" }),
      { created: created + 60 },
    );

    await deliver(deleted, updated);

    expect(await findEvent("stripe", updated.id)).toMatchObject({ status: "processed" });
    expect(await subscriptionRow(subscription.id)).toMatchObject({
      status: "canceled",
      lastEventAt: new Date((created + 60) * 1000),
    });
    expect(await planOf(team.id)).toBe("free");
  });

  it("never revives a canceled subscription, even with an update from the same second", async () => {
    const { subscription, created } = await proCustomer();

    await deliver(
      sampleEvent("customer.subscription.deleted", sampleSubscription({ ...subscription, status: "canceled" }), {
        created: created + 60,
      }),
      sampleEvent("customer.subscription.updated", sampleSubscription({ ...subscription, status: "active" }), {
        created: created + 60,
      }),
    );

    expect((await subscriptionRow(subscription.id))?.status).toBe("canceled");
  });

  it("ignores an update older than the stored state", async () => {
    const { subscription, created } = await proCustomer();

    await deliver(
      sampleEvent("customer.subscription.updated", sampleSubscription({ ...subscription, status: "past_due" }), {
        created: created + 60,
      }),
      sampleEvent("customer.subscription.updated", sampleSubscription({ ...subscription, status: "active" }), {
        created: created + 30,
      }),
    );

    expect(await subscriptionRow(subscription.id)).toMatchObject({
      status: "past_due",
      lastEventAt: new Date((created + 60) * 1000),
    });
  });

  it("links a subscription to its team through the metadata our Checkout sets, with its seats", async () => {
    const { team } = await teamWithOwner();
    const customerId = simulatedId("cus");
    const subscriptionId = simulatedId("sub");

    await deliver(
      sampleEvent(
        "customer.subscription.created",
        sampleSubscription({ id: subscriptionId, customerId, teamId: team.id, status: "trialing", quantity: 4 }),
      ),
    );

    expect(await subscriptionRow(subscriptionId)).toMatchObject({
      organizationId: team.id,
      status: "trialing",
      quantity: 4,
    });
    expect((await teamRow(team.id)).stripeCustomerId).toBe(customerId);
    expect(await planOf(team.id)).toBe("pro");
  });

  it("follows the customer already linked to a team, whatever the metadata says", async () => {
    const { team, customerId, subscription, created } = await proCustomer();
    const { team: other } = await teamWithOwner();

    await deliver(
      sampleEvent(
        "customer.subscription.updated",
        sampleSubscription({ ...subscription, teamId: other.id, status: "past_due" }),
        { created: created + 60 },
      ),
    );

    expect(await subscriptionRow(subscription.id)).toMatchObject({ organizationId: team.id, status: "past_due" });
    expect((await teamRow(other.id)).stripeCustomerId).toBeNull();
    expect((await teamRow(team.id)).stripeCustomerId).toBe(customerId);
    expect(await planOf(other.id)).toBe("free");
  });

  it("ignores the subscription of a customer this app does not know", async () => {
    const subscriptionId = simulatedId("sub");
    const event = sampleEvent(
      "customer.subscription.created",
      sampleSubscription({
        id: subscriptionId,
        customerId: simulatedId("cus"),
        teamId: randomUUID(),
        status: "active",
      }),
    );

    await deliver(event);

    expect(await findEvent("stripe", event.id)).toMatchObject({ status: "processed", lastError: null });
    expect(await subscriptionRow(subscriptionId)).toBeUndefined();
  });
});

describe("invoice events", () => {
  it("invoice.paid brings a past-due subscription back to active", async () => {
    const { customerId, owner, team, subscription, created } = await proCustomer();
    await deliver(
      sampleEvent("customer.subscription.updated", sampleSubscription({ ...subscription, status: "past_due" }), {
        created: created + 60,
      }),
    );

    const invoice = sampleInvoice({
      customerId,
      subscriptionId: subscription.id,
      teamId: team.id,
      email: owner.email,
    });
    await deliver(
      sampleEvent(
        "invoice.paid",
        { ...invoice, status: "paid", amount_paid: 900, amount_remaining: 0 },
        { created: created + 120 },
      ),
    );

    expect(await subscriptionRow(subscription.id)).toMatchObject({
      status: "active",
      lastEventAt: new Date((created + 120) * 1000),
    });
  });

  it("invoice.payment_failed emails the team's owner once per invoice, however often it is delivered, retried or replayed", async () => {
    const { customerId, owner, team, subscription } = await proCustomer();
    // Billing is the owner's: an admin of the team, and the address on the invoice, get nothing.
    const admin = await createUser("Billing Admin");
    await addMember(db, team.id, admin.id, "admin");
    const invoice = sampleInvoice({
      customerId,
      subscriptionId: subscription.id,
      teamId: team.id,
      email: `accounts-${randomUUID()}@example.test`,
      amountDue: 1250,
    });
    const failed = sampleEvent("invoice.payment_failed", invoice);

    await deliver(failed);
    const [email] = await paymentFailedEmails(owner.email);
    expect(email).toMatchObject({
      to: owner.email,
      subject: "Your Recipe Box payment did not go through",
      props: { amount: "$12.50", invoiceId: invoice.id, billingUrl: expect.stringMatching(`/t/${team.slug}/billing$`) },
    });
    expect(await paymentFailedEmails(admin.email)).toEqual([]);
    expect(await paymentFailedEmails(invoice.customer_email)).toEqual([]);

    // The same event again (redelivery), replayed from /dev/webhooks, and Stripe's next retry of the same invoice (a new event).
    await deliver(failed);
    const stored = await findEvent("stripe", failed.id);
    await replayWebhookEvent(db, stored!.id);
    await flushAfterResponse();
    expect(await findEvent("stripe", failed.id)).toMatchObject({ status: "processed", attempts: 1 });
    await deliver(sampleEvent("invoice.payment_failed", { ...invoice, attempt_count: 2 }));
    expect(await paymentFailedEmails(owner.email)).toHaveLength(1);

    // It went out (to the dev outbox here, as RESEND_API_KEY is unset).
    await flushAfterResponse();
    expect((await paymentFailedEmails(owner.email))[0]).toMatchObject({ status: "sent", transport: "outbox" });

    // Another invoice is another email.
    await deliver(
      sampleEvent(
        "invoice.payment_failed",
        sampleInvoice({ customerId, subscriptionId: subscription.id, teamId: team.id, email: owner.email }),
      ),
    );
    expect(await paymentFailedEmails(owner.email)).toHaveLength(2);
  });
});

describe("on real PostgreSQL", () => {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    console.info(
      "[tests] skipped: concurrent payment failures on separate connections need real PostgreSQL (set DATABASE_URL)",
    );
  const pools = databaseUrl ? Array.from({ length: 4 }, () => createPostgresDatabase(databaseUrl, { max: 1 })) : [];
  afterAll(() => Promise.all(pools.map((pool) => pool.close())));

  it.skipIf(!databaseUrl)(
    "four failure events for one invoice, processed at the same time, send one email",
    async () => {
      const { customerId, owner, team, subscription } = await proCustomer();
      const invoice = sampleInvoice({
        customerId,
        subscriptionId: subscription.id,
        teamId: team.id,
        email: owner.email,
      });
      const events = pools.map((_, attempt) =>
        sampleEvent("invoice.payment_failed", { ...invoice, attempt_count: attempt + 1 }),
      );
      for (const event of events) {
        const { body, headers } = signedStripeDelivery(event);
        expect(
          (await POST(new Request("http://localhost/api/webhooks/stripe", { method: "POST", body, headers }))).status,
        ).toBe(200);
      }

      const outcomes = await Promise.all(
        events.map((event, i) => processWebhookEvent(pools[i]!.db, "stripe", event.id)),
      );

      expect(outcomes).toEqual(Array(events.length).fill({ status: "processed" }));
      expect(await paymentFailedEmails(owner.email)).toHaveLength(1);
      await flushAfterResponse();
    },
  );
});
