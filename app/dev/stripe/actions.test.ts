import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getTeamPlan } from "@/lib/billing";
import { env } from "@/lib/core/env";
import { db, schema } from "@/lib/db";
import { addMember, createTeam } from "@/lib/teams";
import { setEnv } from "@/tests/support/env";
import { form } from "@/tests/support/form";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { signOutTestUser, signUpTestUser } from "@/tests/support/users";
import { simulateStripeEventAction } from "./actions";

// The first sign-up migrates the embedded database and warms Better Auth: a hook's timeout, not a test's.
beforeAll(() => signUpTestUser(), 180_000);

const simulate = (scenario: string, teamId: string) => simulateStripeEventAction({}, form({ scenario, teamId }));

/** Runs what the webhook route queued, and what that queued in turn (the email job). */
async function afterResponses() {
  while ((await flushAfterResponse()) > 0);
}

/** The Stripe events in the webhook inbox that concern one team. */
async function stripeEventsFor(teamId: string) {
  const inbox = await db.select().from(schema.webhookEvents).where(eq(schema.webhookEvents.provider, "stripe"));
  return inbox.filter((event) => JSON.stringify(event.payload).includes(teamId));
}

describe("simulateStripeEventAction (/dev/stripe)", () => {
  it("takes a new user's team from Free to Pro and back to Free, with no Stripe account", async () => {
    const cook = await signUpTestUser("Simulated Cook");

    expect(await simulate("checkout-completed", cook.teamId)).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Sent customer\.subscription\.created and checkout\.session\.completed/),
    });
    await afterResponses();
    const pro = await getTeamPlan(db, cook.teamId);
    expect(pro.plan.id).toBe("pro");
    expect(pro.subscription).toMatchObject({
      id: expect.stringMatching(/^sub_sim/),
      organizationId: cook.teamId,
      customerId: expect.stringMatching(/^cus_sim/),
      priceId: "price_dev_pro",
      status: "active",
      quantity: 1,
    });
    // The made-up customer is the team's from now on.
    const [team] = await db.select().from(schema.organization).where(eq(schema.organization.id, cook.teamId));
    expect(team!.stripeCustomerId).toBe(pro.subscription!.customerId);

    expect(await simulate("payment-failed", cook.teamId)).toMatchObject({ ok: true });
    await afterResponses();
    expect(await getTeamPlan(db, cook.teamId)).toMatchObject({
      plan: { id: "pro" },
      subscription: { status: "past_due" },
    });
    const emails = await db
      .select()
      .from(schema.emails)
      .where(and(eq(schema.emails.to, cook.email), eq(schema.emails.template, "payment-failed")));
    expect(emails).toEqual([expect.objectContaining({ status: "sent", transport: "outbox" })]);

    expect(await simulate("subscription-canceled", cook.teamId)).toMatchObject({ ok: true });
    await afterResponses();
    expect(await getTeamPlan(db, cook.teamId)).toEqual({
      plan: expect.objectContaining({ id: "free" }),
      subscription: null,
    });

    // Each step went through the webhook inbox like a real delivery.
    const mine = await stripeEventsFor(cook.teamId);
    expect(mine.map((event) => event.status)).toEqual(Array(mine.length).fill("processed"));
    expect(mine.length).toBeGreaterThanOrEqual(4);
  });

  it("explains what to do first when a step does not apply", async () => {
    const cook = await signUpTestUser();
    expect(await simulate("subscription-canceled", cook.teamId)).toMatchObject({
      error: "This team has no Pro subscription yet: simulate a completed checkout first.",
    });
    expect(await simulate("payment-failed", cook.teamId)).toMatchObject({
      error: "This team has no Pro subscription yet: simulate a completed checkout first.",
    });
    expect(await stripeEventsFor(cook.teamId)).toEqual([]);
  });

  it("plays Stripe only for the team's owner: another team, or a team where the caller is an admin, is refused", async () => {
    const owner = await signUpTestUser("Team Owner");
    const team = await createTeam(db, { name: "Billed Kitchen", ownerId: owner.id });
    const admin = await signUpTestUser("Team Admin");
    await addMember(db, team.id, admin.id, "admin");
    // Signed in as someone outside the team.
    await signUpTestUser("Stranger");

    expect(await simulate("checkout-completed", team.id)).toMatchObject({
      error: "No such team, or you are not a member of it.",
    });
    admin.actAs();
    expect(await simulate("checkout-completed", team.id)).toMatchObject({
      error: "Only the team's owner can change its plan.",
    });
    await afterResponses();
    expect((await getTeamPlan(db, team.id)).plan.id).toBe("free");
    expect(await stripeEventsFor(team.id)).toEqual([]);

    owner.actAs();
    expect(await simulate("checkout-completed", team.id)).toMatchObject({ ok: true });
    await afterResponses();
    expect(await getTeamPlan(db, team.id)).toMatchObject({ plan: { id: "pro" }, subscription: { quantity: 2 } });
  });

  it("refuses a caller without a session, and when developer tools are disabled", async () => {
    signOutTestUser();
    expect((await simulate("checkout-completed", "any-team")).error).toMatch(/signed in/);

    const cook = await signUpTestUser();
    // A production start needs a real secret: the one the test user's session was signed with.
    setEnv({
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: env.authSecret,
      VERCEL: undefined,
      RENDER: undefined,
      ENABLE_DEV_TOOLS: undefined,
    });

    // notFound(): the same 404 as the pages (Next's error, or the Vitest stand-in's).
    await expect(simulate("checkout-completed", cook.teamId)).rejects.toThrow(
      /NEXT_NOT_FOUND|NEXT_HTTP_ERROR_FALLBACK;404/,
    );
    await afterResponses();
    expect((await getTeamPlan(db, cook.teamId)).plan.id).toBe("free");
    expect(await stripeEventsFor(cook.teamId)).toEqual([]);
  });
});
