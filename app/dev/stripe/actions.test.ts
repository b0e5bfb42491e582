import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getUserPlan } from "@/lib/billing/plans";
import { db, schema } from "@/lib/db";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { signOutTestUser, signUpTestUser } from "@/tests/support/users";
import { simulateStripeEventAction } from "./actions";

vi.mock("next/headers", () => import("@/tests/support/next/headers"));
vi.mock("next/cache", () => import("@/tests/support/next/cache"));
vi.mock("next/navigation", () => import("@/tests/support/next/navigation"));
vi.mock("@/lib/jobs/after", () => import("@/tests/support/run-after-response"));

afterEach(() => {
  vi.unstubAllEnvs();
});

const simulate = (scenario: string) => {
  const data = new FormData();
  data.set("scenario", scenario);
  return simulateStripeEventAction({}, data);
};

/** Runs what the webhook route queued, and what that queued in turn (the email job). */
async function afterResponses() {
  while ((await flushAfterResponse()) > 0);
}

/** The Stripe events in the webhook inbox that concern one user. */
async function stripeEventsFor(userId: string) {
  const inbox = await db.select().from(schema.webhookEvents).where(eq(schema.webhookEvents.provider, "stripe"));
  return inbox.filter((event) => JSON.stringify(event.payload).includes(userId));
}

describe("simulateStripeEventAction (/dev/stripe)", () => {
  it("takes a new user from Free to Pro and back to Free, with no Stripe account", async () => {
    const cook = await signUpTestUser("Simulated Cook");

    expect(await simulate("checkout-completed")).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Sent customer\.subscription\.created and checkout\.session\.completed/),
    });
    await afterResponses();
    const pro = await getUserPlan(db, cook.id);
    expect(pro.plan.id).toBe("pro");
    expect(pro.subscription).toMatchObject({
      id: expect.stringMatching(/^sub_sim/),
      customerId: expect.stringMatching(/^cus_sim/),
      priceId: "price_dev_pro",
      status: "active",
    });

    expect(await simulate("payment-failed")).toMatchObject({ ok: true });
    await afterResponses();
    expect(await getUserPlan(db, cook.id)).toMatchObject({ plan: { id: "pro" }, subscription: { status: "past_due" } });
    const emails = await db
      .select()
      .from(schema.emails)
      .where(and(eq(schema.emails.to, cook.email), eq(schema.emails.template, "payment-failed")));
    expect(emails).toEqual([expect.objectContaining({ status: "sent", transport: "outbox" })]);

    expect(await simulate("subscription-canceled")).toMatchObject({ ok: true });
    await afterResponses();
    expect(await getUserPlan(db, cook.id)).toEqual({
      plan: expect.objectContaining({ id: "free" }),
      subscription: null,
    });

    // Each step went through the webhook inbox like a real delivery.
    const mine = await stripeEventsFor(cook.id);
    expect(mine.map((event) => event.status)).toEqual(Array(mine.length).fill("processed"));
    expect(mine.length).toBeGreaterThanOrEqual(4);
  });

  it("explains what to do first when a step does not apply", async () => {
    const cook = await signUpTestUser();
    expect(await simulate("subscription-canceled")).toEqual({
      error: "You have no Pro subscription yet: simulate a completed checkout first.",
    });
    expect(await simulate("payment-failed")).toEqual({
      error: "You have no Pro subscription yet: simulate a completed checkout first.",
    });
    expect(await stripeEventsFor(cook.id)).toEqual([]);
  });

  it("refuses a caller without a session, and when developer tools are disabled", async () => {
    signOutTestUser();
    expect((await simulate("checkout-completed")).error).toMatch(/signed in/);

    const cook = await signUpTestUser();
    // A production start needs a real secret: the one the test user's session was signed with.
    const { env } = await import("@/lib/env");
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("BETTER_AUTH_SECRET", env.authSecret);
    vi.stubEnv("VERCEL", "");
    vi.stubEnv("RENDER", "");
    vi.stubEnv("ENABLE_DEV_TOOLS", "");
    vi.resetModules();
    const { simulateStripeEventAction: simulateInProduction } = await import("./actions");
    const data = new FormData();
    data.set("scenario", "checkout-completed");

    // notFound(): the same 404 as the pages (Next's error, or the Vitest stand-in's).
    await expect(simulateInProduction({}, data)).rejects.toThrow(/NEXT_NOT_FOUND|NEXT_HTTP_ERROR_FALLBACK;404/);
    await afterResponses();
    expect((await getUserPlan(db, cook.id)).plan.id).toBe("free");
    expect(await stripeEventsFor(cook.id)).toEqual([]);
  });
});
