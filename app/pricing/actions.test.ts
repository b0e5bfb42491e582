import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db, schema } from "@/lib/db";
import { fakeStripeApi, stripeErrorBody } from "@/tests/support/fake-stripe";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { signUpTestUser } from "@/tests/support/users";
import { openBillingPortalAction, startCheckoutAction } from "./actions";

vi.hoisted(() => {
  vi.stubEnv("STRIPE_PRICE_ID", "price_test_pro");
  vi.stubEnv("APP_URL", "https://recipes.example.com");
});
vi.mock("next/headers", () => import("@/tests/support/next/headers"));
vi.mock("next/cache", () => import("@/tests/support/next/cache"));
vi.mock("next/navigation", () => import("@/tests/support/next/navigation"));
// The real SDK, as with STRIPE_SECRET_KEY set, but talking HTTP to a local fake of Stripe's API.
vi.mock("@/lib/stripe", async (importOriginal) =>
  (await import("@/tests/support/fake-stripe")).mockStripeModule(importOriginal),
);

afterAll(async () => {
  vi.unstubAllEnvs();
  await fakeStripeApi.close();
});

const noFields = () => new FormData();
const checkoutUrl = (id: string) => `https://checkout.stripe.com/c/pay/${id}`;

/** Stripe's answers when all is well: a customer per create, a session with a URL. */
function answerLikeStripe() {
  fakeStripeApi.route("POST", "/v1/customers", (request) => ({
    status: 200,
    body: {
      id: `cus_test${randomUUID().slice(0, 8)}`,
      object: "customer",
      email: request.form.email,
      metadata: { userId: request.form["metadata[userId]"] },
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

async function storedCustomer(userId: string) {
  const [row] = await db
    .select({ customerId: schema.user.stripeCustomerId })
    .from(schema.user)
    .where(eq(schema.user.id, userId));
  return row?.customerId ?? null;
}

/** The checkout sessions Stripe was asked for on behalf of one user. */
const checkoutRequestsFor = (userId: string) =>
  fakeStripeApi
    .requestsTo("POST", "/v1/checkout/sessions")
    .filter((request) => request.form.client_reference_id === userId);
const customerRequestsFor = (userId: string) =>
  fakeStripeApi.requestsTo("POST", "/v1/customers").filter((request) => request.form["metadata[userId]"] === userId);

beforeEach(() => answerLikeStripe());

describe("startCheckoutAction", () => {
  it("creates the customer and a subscription Checkout Session, then redirects to Stripe", async () => {
    const cook = await signUpTestUser("Checkout Cook");

    const redirect = await startCheckoutAction({}, noFields()).catch((signal: unknown) => signal);

    expect(redirect).toBeInstanceOf(RedirectSignal);
    const [customerRequest] = customerRequestsFor(cook.id);
    expect(customerRequest?.form).toMatchObject({ email: cook.email, name: "Checkout Cook" });
    // Two clicks at once would send the same key, and Stripe answers both with one customer.
    expect(customerRequest?.headers["idempotency-key"]).toBe(`customer-${cook.id}`);
    const customerId = await storedCustomer(cook.id);
    expect(customerId).toMatch(/^cus_test/);

    const [session] = checkoutRequestsFor(cook.id);
    expect(session?.headers.authorization).toBe("Bearer sk_test_fake_api");
    expect(session?.form).toMatchObject({
      mode: "subscription",
      customer: customerId,
      client_reference_id: cook.id,
      "metadata[userId]": cook.id,
      "subscription_data[metadata][userId]": cook.id,
      "line_items[0][price]": "price_test_pro",
      "line_items[0][quantity]": "1",
      success_url: "https://recipes.example.com/pricing?checkout=success",
      cancel_url: "https://recipes.example.com/pricing?checkout=canceled",
    });
    expect((redirect as RedirectSignal).url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
  });

  it("reuses the stored customer on the next attempt", async () => {
    const cook = await signUpTestUser();
    await expect(startCheckoutAction({}, noFields())).rejects.toBeInstanceOf(RedirectSignal);
    await expect(startCheckoutAction({}, noFields())).rejects.toBeInstanceOf(RedirectSignal);

    expect(customerRequestsFor(cook.id)).toHaveLength(1);
    const sessions = checkoutRequestsFor(cook.id);
    expect(sessions).toHaveLength(2);
    expect(sessions[1]!.form.customer).toBe(await storedCustomer(cook.id));
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

    const state = await startCheckoutAction({}, noFields());

    expect(state).toEqual({ error: "Stripe could not complete the request: No such price: 'price_test_pro'" });
    expect(checkoutRequestsFor(cook.id)).toHaveLength(1);
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

    expect(await startCheckoutAction({}, noFields())).toEqual({
      error: "Stripe could not complete the request: Your card was declined.",
    });
    expect(await storedCustomer(cook.id)).toBeNull();
    expect(checkoutRequestsFor(cook.id)).toEqual([]);
  });

  it("says so when Stripe cannot be reached", async () => {
    const cook = await signUpTestUser();
    fakeStripeApi.route("POST", "/v1/checkout/sessions", () => "drop");

    expect(await startCheckoutAction({}, noFields())).toEqual({
      error: "We could not reach Stripe. Please try again in a minute.",
    });
    // The first try and the SDK's two retries.
    expect(checkoutRequestsFor(cook.id)).toHaveLength(3);
  });

  it("does not sell Pro twice", async () => {
    const cook = await signUpTestUser();
    await db.insert(schema.subscriptions).values({
      id: `sub_test${randomUUID().slice(0, 8)}`,
      userId: cook.id,
      customerId: "cus_test_existing",
      status: "active",
      lastEventAt: new Date(),
    });

    expect((await startCheckoutAction({}, noFields())).error).toMatch(/already on Pro/);
    expect(checkoutRequestsFor(cook.id)).toEqual([]);
  });
});

describe("openBillingPortalAction", () => {
  it("opens Stripe's portal for the user's customer, returning to /pricing", async () => {
    const cook = await signUpTestUser();
    const customerId = `cus_test${randomUUID().slice(0, 8)}`;
    await db.update(schema.user).set({ stripeCustomerId: customerId }).where(eq(schema.user.id, cook.id));

    await expect(openBillingPortalAction({}, noFields())).rejects.toEqual(
      new RedirectSignal("https://billing.stripe.com/p/session/test_1"),
    );

    const request = fakeStripeApi
      .requestsTo("POST", "/v1/billing_portal/sessions")
      .find((r) => r.form.customer === customerId);
    expect(request?.form).toEqual({ customer: customerId, return_url: "https://recipes.example.com/pricing" });
  });

  it("explains that there is nothing to manage before the first upgrade", async () => {
    await signUpTestUser();
    const before = fakeStripeApi.requestsTo("POST", "/v1/billing_portal/sessions").length;

    expect(await openBillingPortalAction({}, noFields())).toEqual({
      error: "You have no billing account yet: upgrade to Pro first.",
    });
    expect(fakeStripeApi.requestsTo("POST", "/v1/billing_portal/sessions")).toHaveLength(before);
  });

  it("turns a Stripe error into a message", async () => {
    const cook = await signUpTestUser();
    await db
      .update(schema.user)
      .set({ stripeCustomerId: `cus_gone${randomUUID().slice(0, 8)}` })
      .where(eq(schema.user.id, cook.id));
    fakeStripeApi.route("POST", "/v1/billing_portal/sessions", () => ({
      status: 400,
      body: stripeErrorBody(
        "invalid_request_error",
        "No configuration provided and your test mode default configuration has not been created.",
      ),
    }));

    expect((await openBillingPortalAction({}, noFields())).error).toBe(
      "Stripe could not complete the request: No configuration provided and your test mode default configuration has not been created.",
    );
  });
});
