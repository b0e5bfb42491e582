import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, schema } from "@/lib/db";
import { sampleSubscription } from "@/lib/dev-tools/stripe-events";
import { fakeStripeApi, type FakeStripeReply } from "@/tests/support/fake-stripe";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { signUpTestUser } from "@/tests/support/users";
import { addMember, createTeam, removeMember, syncPendingSeats } from ".";

// The real SDK, as with STRIPE_SECRET_KEY set, but talking HTTP to a local fake of Stripe's API.
vi.mock("@/lib/billing/stripe", async (importOriginal) =>
  (await import("@/tests/support/fake-stripe")).mockStripeModule(importOriginal),
);

beforeAll(() => signUpTestUser(), 180_000);
afterAll(() => fakeStripeApi.close());

/** A Pro team of one (its owner), paying with a real-looking Stripe customer, and Stripe's side of it. */
async function proTeam() {
  const owner = await signUpTestUser("Olive Owner");
  const team = await createTeam(db, { name: "Seated Kitchen", ownerId: owner.id });
  const customerId = `cus_test${randomUUID().slice(0, 8)}`;
  const subscriptionId = `sub_test${randomUUID().slice(0, 8)}`;
  const item = `si_test${randomUUID().slice(0, 8)}`;
  await db.update(schema.organization).set({ stripeCustomerId: customerId }).where(eq(schema.organization.id, team.id));
  await db.insert(schema.subscriptions).values({
    id: subscriptionId,
    organizationId: team.id,
    customerId,
    status: "active",
    quantity: 1,
    lastEventAt: new Date(),
  });
  const stripe = { down: false, quantity: 1 };
  const subscription = () => {
    const body = sampleSubscription({ id: subscriptionId, customerId, teamId: team.id, status: "active" });
    body.items.data[0] = { ...body.items.data[0]!, id: item, quantity: stripe.quantity };
    return body;
  };
  const answer = (reply: () => FakeStripeReply) => () => (stripe.down ? "drop" : reply());
  fakeStripeApi.route(
    "GET",
    `/v1/subscriptions/${subscriptionId}`,
    answer(() => ({ status: 200, body: subscription() })),
  );
  fakeStripeApi.route(
    "POST",
    `/v1/subscriptions/${subscriptionId}`,
    answer(() => ({ status: 200, body: subscription() })),
  );
  const updates = () => fakeStripeApi.requestsTo("POST", `/v1/subscriptions/${subscriptionId}`);
  return { team, owner, subscriptionId, item, stripe, updates };
}

const storedQuantity = async (subscriptionId: string) =>
  (await db.select().from(schema.subscriptions).where(eq(schema.subscriptions.id, subscriptionId)))[0]?.quantity;

const pendingSync = async (teamId: string) => {
  const [team] = await db.select().from(schema.organization).where(eq(schema.organization.id, teamId));
  return team!.seatsSyncedVersion < team!.seatsVersion;
};

describe("Pro is billed per seat: the subscription's quantity follows the member count", () => {
  it("after a member joins and leaves, a job sets Stripe's quantity with proration and a versioned key", async () => {
    const { team, owner, subscriptionId, item, updates } = await proTeam();
    const guest = await signUpTestUser("Gus Guest");

    const joined = await addMember(db, team.id, guest.id);
    // The membership committed first; Stripe hears of it only once the job runs.
    expect(updates()).toHaveLength(0);
    await flushAfterResponse();
    expect(updates().at(-1)?.form).toMatchObject({
      "items[0][id]": item,
      "items[0][quantity]": "2",
      proration_behavior: "create_prorations",
    });
    expect(await storedQuantity(subscriptionId)).toBe(2);

    await removeMember(db, { teamId: team.id, actorId: owner.id, memberId: joined!.id });
    await flushAfterResponse();
    expect(updates().at(-1)?.form).toMatchObject({ "items[0][quantity]": "1" });
    expect(await storedQuantity(subscriptionId)).toBe(1);
    // Each change its own key: a retry repeats one change, never applies an earlier one.
    const keys = updates().map((update) => update.headers["idempotency-key"]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(await pendingSync(team.id)).toBe(false);
  });

  it("with Stripe down, the membership change stands, and the sweeper syncs the seats once Stripe is back", async () => {
    const { team, subscriptionId, stripe, updates } = await proTeam();
    const guest = await signUpTestUser("Gus Guest");
    stripe.down = true;

    const started = performance.now();
    await addMember(db, team.id, guest.id);
    const committed = performance.now() - started;
    await flushAfterResponse();
    const jobDone = performance.now() - started;

    // The member is in, billing is one seat behind, and the team is marked for the sweeper.
    expect(await storedQuantity(subscriptionId)).toBe(1);
    expect(await pendingSync(team.id)).toBe(true);
    expect(await syncPendingSeats(db)).toMatchObject({ failed: expect.any(Number) });
    expect(await pendingSync(team.id)).toBe(true);

    stripe.down = false;
    const recovery = performance.now();
    const swept = await syncPendingSeats(db);
    console.info(
      `[seats, Stripe down] membership committed in ${committed.toFixed(0)} ms; the failed job gave up after ` +
        `${jobDone.toFixed(0)} ms; once Stripe answered, one sweep synced ${swept.synced} team(s) in ` +
        `${(performance.now() - recovery).toFixed(0)} ms`,
    );
    expect(swept.synced).toBeGreaterThanOrEqual(1);
    expect(updates().at(-1)?.form).toMatchObject({ "items[0][quantity]": "2" });
    expect(await storedQuantity(subscriptionId)).toBe(2);
    expect(await pendingSync(team.id)).toBe(false);
  });
});
