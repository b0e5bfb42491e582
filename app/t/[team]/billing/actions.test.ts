import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db, schema } from "@/lib/db";
import { fakeStripeApi, stripeErrorBody } from "@/tests/support/fake-stripe";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { signUpTestUser } from "@/tests/support/users";
import { openBillingPortalAction, startCheckoutAction } from "./actions";
import { form } from "@/tests/support/form";

vi.hoisted(() => {
  vi.stubEnv("STRIPE_PRICE_ID", "price_test_pro");
  vi.stubEnv("APP_URL", "https://recipes.example.com");
});
// The real SDK, as with STRIPE_SECRET_KEY set, but talking HTTP to a local fake of Stripe's API.
vi.mock("@/lib/billing/stripe", async (importOriginal) =>
  (await import("@/tests/support/fake-stripe")).mockStripeModule(importOriginal),
);

afterAll(async () => {
  vi.unstubAllEnvs();
  await fakeStripeApi.close();
});

const checkoutUrl = (id: string) => `https://checkout.stripe.com/c/pay/${id}`;

/** Stripe's answers when all is well: a customer per create, a session with a URL. */
function answerLikeStripe() {
  fakeStripeApi.route("POST", "/v1/customers", (request) => ({
    status: 200,
    body: {
      id: `cus_test${randomUUID().slice(0, 8)}`,
      object: "customer",
      email: request.form.email,
      metadata: { organizationId: request.form["metadata[organizationId]"] },
    },
  }));
  fakeStripeApi.route("POST", "/v1/checkout/sessions", () => {
    const id = `cs_test_${randomUUID().slice(0, 8)}`;
    return { status: 200, body: { id, object: "checkout.session", mode: "subscription", url: checkoutUrl(id) } };
  });
  fakeStripeApi.route("POST", "/v1/billing_portal/sessions", (request) => ({
    status: 200,
    body: {
      id: "bps_test_1",
      object: "billing_portal.session",
      customer: request.form.customer,
      url: "https://billing.stripe.com/p/session/test_1",
    },
  }));
}

async function storedCustomer(teamId: string) {
  const [row] = await db
    .select({ customerId: schema.organization.stripeCustomerId })
    .from(schema.organization)
    .where(eq(schema.organization.id, teamId));
  return row?.customerId ?? null;
}

async function setCustomer(teamId: string, customerId: string) {
  await db.update(schema.organization).set({ stripeCustomerId: customerId }).where(eq(schema.organization.id, teamId));
}

/** The checkout sessions Stripe was asked for on behalf of one team. */
const checkoutRequestsFor = (teamId: string) =>
  fakeStripeApi
    .requestsTo("POST", "/v1/checkout/sessions")
    .filter((request) => request.form.client_reference_id === teamId);
const customerRequestsFor = (teamId: string) =>
  fakeStripeApi
    .requestsTo("POST", "/v1/customers")
    .filter((request) => request.form["metadata[organizationId]"] === teamId);

/** The billing form of the signed-in owner's personal team. */
const billingForm = (cook: { teamId: string }) => form({ teamId: cook.teamId });

beforeEach(() => answerLikeStripe());

describe("startCheckoutAction", () => {
  it("creates the customer and a subscription Checkout Session, then redirects to Stripe", async () => {
    const cook = await signUpTestUser("Checkout Cook");

    const redirect = await startCheckoutAction({}, billingForm(cook)).catch((signal: unknown) => signal);

    expect(redirect).toBeInstanceOf(RedirectSignal);
    const [customerRequest] = customerRequestsFor(cook.teamId);
    // The team pays; Stripe's receipts go to the owner who bought.
    expect(customerRequest?.form).toMatchObject({ email: cook.email, name: "Checkout's recipes" });
    // Two clicks at once would send the same key, and Stripe answers both with one customer.
    expect(customerRequest?.headers["idempotency-key"]).toBe(`customer-${cook.teamId}`);
    const customerId = await storedCustomer(cook.teamId);
    expect(customerId).toMatch(/^cus_test/);

    const [session] = checkoutRequestsFor(cook.teamId);
    expect(session?.headers.authorization).toBe("Bearer sk_test_fake_api");
    expect(session?.form).toMatchObject({
      mode: "subscription",
      customer: customerId,
      client_reference_id: cook.teamId,
      "metadata[organizationId]": cook.teamId,
      "metadata[userId]": cook.id,
      "subscription_data[metadata][organizationId]": cook.teamId,
      "line_items[0][price]": "price_test_pro",
      // A seat per member: the personal team has one.
      "line_items[0][quantity]": "1",
      success_url: `https://recipes.example.com/t/${cook.teamSlug}/billing?checkout=success`,
      cancel_url: `https://recipes.example.com/t/${cook.teamSlug}/billing?checkout=canceled`,
    });
    expect((redirect as RedirectSignal).url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
  });

  it("reuses the stored customer on the next attempt", async () => {
    const cook = await signUpTestUser();
    await expect(startCheckoutAction({}, billingForm(cook))).rejects.toBeInstanceOf(RedirectSignal);
    await expect(startCheckoutAction({}, billingForm(cook))).rejects.toBeInstanceOf(RedirectSignal);

    expect(customerRequestsFor(cook.teamId)).toHaveLength(1);
    const sessions = checkoutRequestsFor(cook.teamId);
    expect(sessions).toHaveLength(2);
    expect(sessions[1]!.form.customer).toBe(await storedCustomer(cook.teamId));
  });

  it("turns a Stripe error into a message on the page", async () => {
    const cook = await signUpTestUser();
    fakeStripeApi.route("POST", "/v1/checkout/sessions", () => ({
      status: 400,
      body: stripeErrorBody("invalid_request_error", "No such price: 'price_test_pro'", {
        code: "resource_missing",
        param: "line_items[0][price]",
      }),
    }));

    const state = await startCheckoutAction({}, billingForm(cook));

    expect(state).toMatchObject({ error: "Stripe could not complete the request: No such price: 'price_test_pro'" });
    expect(checkoutRequestsFor(cook.teamId)).toHaveLength(1);
  });

  it("turns a declined request (402) into a message, and stores no customer", async () => {
    const cook = await signUpTestUser();
    fakeStripeApi.route("POST", "/v1/customers", () => ({
      status: 402,
      body: stripeErrorBody("card_error", "Your card was declined.", {
        code: "card_declined",
        decline_code: "generic_decline",
      }),
    }));

    expect(await startCheckoutAction({}, billingForm(cook))).toMatchObject({
      error: "Stripe could not complete the request: Your card was declined.",
    });
    expect(await storedCustomer(cook.teamId)).toBeNull();
    expect(checkoutRequestsFor(cook.teamId)).toEqual([]);
  });

  it("says so when Stripe cannot be reached", async () => {
    const cook = await signUpTestUser();
    fakeStripeApi.route("POST", "/v1/checkout/sessions", () => "drop");

    expect(await startCheckoutAction({}, billingForm(cook))).toMatchObject({
      error: "We could not reach Stripe. Please try again in a minute.",
    });
    // The first try and the SDK's two retries.
    expect(checkoutRequestsFor(cook.teamId)).toHaveLength(3);
  });

  it("does not sell Pro twice", async () => {
    const cook = await signUpTestUser();
    await db.insert(schema.subscriptions).values({
      id: `sub_test${randomUUID().slice(0, 8)}`,
      organizationId: cook.teamId,
      customerId: "cus_test_existing",
      status: "active",
      lastEventAt: new Date(),
    });

    expect((await startCheckoutAction({}, billingForm(cook))).error).toMatch(/already on Pro/);
    expect(checkoutRequestsFor(cook.teamId)).toEqual([]);
  });
});

describe("openBillingPortalAction", () => {
  it("opens Stripe's portal for the team's customer, returning to its billing page", async () => {
    const cook = await signUpTestUser();
    const customerId = `cus_test${randomUUID().slice(0, 8)}`;
    await setCustomer(cook.teamId, customerId);

    await expect(openBillingPortalAction({}, billingForm(cook))).rejects.toEqual(
      new RedirectSignal("https://billing.stripe.com/p/session/test_1"),
    );

    const request = fakeStripeApi
      .requestsTo("POST", "/v1/billing_portal/sessions")
      .find((r) => r.form.customer === customerId);
    expect(request?.form).toEqual({
      customer: customerId,
      return_url: `https://recipes.example.com/t/${cook.teamSlug}/billing`,
    });
  });

  it("explains that there is nothing to manage before the first upgrade", async () => {
    const cook = await signUpTestUser();
    const before = fakeStripeApi.requestsTo("POST", "/v1/billing_portal/sessions").length;

    expect(await openBillingPortalAction({}, billingForm(cook))).toMatchObject({
      error: "This team has no billing account yet: upgrade to Pro first.",
    });
    expect(fakeStripeApi.requestsTo("POST", "/v1/billing_portal/sessions")).toHaveLength(before);
  });

  it("turns a Stripe error into a message", async () => {
    const cook = await signUpTestUser();
    await setCustomer(cook.teamId, `cus_gone${randomUUID().slice(0, 8)}`);
    fakeStripeApi.route("POST", "/v1/billing_portal/sessions", () => ({
      status: 400,
      body: stripeErrorBody(
        "invalid_request_error",
        "No configuration provided and your test mode default configuration has not been created.",
      ),
    }));

    expect((await openBillingPortalAction({}, billingForm(cook))).error).toBe(
      "Stripe could not complete the request: No configuration provided and your test mode default configuration has not been created.",
    );
  });
});
