import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resendVerificationEmailAction } from "@/app/(auth)/actions";
import { startCheckoutAction } from "@/app/t/[team]/billing/actions";
import { createRecipeAction, setPublishedAction } from "@/app/t/[team]/actions";
import { auth, getSession } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { fakeStripeApi } from "@/tests/support/fake-stripe";
import { cookieJar, fakeClient } from "@/tests/support/next/headers";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { confirmationToken, signUpUnconfirmedTestUser } from "@/tests/support/users";
import { form } from "@/tests/support/form";

vi.hoisted(() => vi.stubEnv("STRIPE_PRICE_ID", "price_test_pro"));
// The real Stripe SDK, as with STRIPE_SECRET_KEY set, talking HTTP to a local fake of Stripe's API.
vi.mock("@/lib/billing/stripe", async (importOriginal) =>
  (await import("@/tests/support/fake-stripe")).mockStripeModule(importOriginal),
);

beforeAll(async () => {
  await db.select().from(schema.user).limit(1);
});
beforeEach(() => {
  fakeClient.ip = `10.2.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await fakeStripeApi.close();
});

function answerLikeStripe() {
  fakeStripeApi.route("POST", "/v1/customers", () => ({
    status: 200,
    body: { id: `cus_test${randomUUID().slice(0, 8)}`, object: "customer" },
  }));
  fakeStripeApi.route("POST", "/v1/checkout/sessions", () => ({
    status: 200,
    body: { id: "cs_test_1", object: "checkout.session", url: "https://checkout.stripe.com/c/pay/cs_test_1" },
  }));
}

/** The checkout sessions Stripe was asked for on behalf of one team. */
const checkoutRequestsFor = (teamId: string) =>
  fakeStripeApi
    .requestsTo("POST", "/v1/checkout/sessions")
    .filter((request) => request.form.client_reference_id === teamId);

type Cook = { id: string; teamId: string; teamSlug: string };

/** Creates a recipe in the cook's personal team through the team page's action and returns its row. */
async function draft(cook: Cook, title: string) {
  await expect(createRecipeAction({}, form({ teamId: cook.teamId, title }))).rejects.toEqual(
    new RedirectSignal(`/t/${cook.teamSlug}`),
  );
  const [recipe] = await db
    .select()
    .from(schema.recipes)
    .where(
      and(
        eq(schema.recipes.organizationId, cook.teamId),
        eq(schema.recipes.createdBy, cook.id),
        eq(schema.recipes.title, title),
      ),
    );
  return recipe!;
}

const publishForm = (cook: Cook, id: string, published: boolean) =>
  form({ teamId: cook.teamId, id, published: String(published) });

describe("a cook whose email address is not confirmed yet", () => {
  it("signs in with the password and drafts, but is refused publishing and Checkout until the link is opened", async () => {
    answerLikeStripe();
    const cook = await signUpUnconfirmedTestUser();
    expect((await getSession())?.user).toMatchObject({ email: cook.email, emailVerified: false });

    const recipe = await draft(cook, "Unconfirmed soup");
    const publish = await setPublishedAction({}, publishForm(cook, recipe.id, true));
    expect(publish.error).toMatch(/^Confirm your email address before publishing recipes/);
    const [stored] = await db.select().from(schema.recipes).where(eq(schema.recipes.id, recipe.id));
    expect(stored?.published).toBe(false);

    const checkout = await startCheckoutAction({}, form({ teamId: cook.teamId }));
    expect(checkout.error).toMatch(/^Confirm your email address before upgrading to Pro/);
    // Stripe was never asked: no customer, no session.
    expect(checkoutRequestsFor(cook.teamId)).toHaveLength(0);

    // "Resend the email": a fresh link, which confirms the address.
    const resent = await resendVerificationEmailAction({}, form());
    expect(resent).toEqual({ ok: true, message: `We sent a new confirmation link to ${cook.email}.` });
    await flushAfterResponse();
    expect(
      await db.$count(schema.emails, and(eq(schema.emails.to, cook.email), eq(schema.emails.template, "verify-email"))),
    ).toBe(2);
    await auth.api.verifyEmail({ query: { token: await confirmationToken(cook.email) } });

    expect(await setPublishedAction({}, publishForm(cook, recipe.id, true))).toMatchObject({ ok: true });
    await expect(startCheckoutAction({}, form({ teamId: cook.teamId }))).rejects.toEqual(
      new RedirectSignal("https://checkout.stripe.com/c/pay/cs_test_1"),
    );
    expect(checkoutRequestsFor(cook.teamId)).toHaveLength(1);
  });

  it("may unpublish whatever the address (a recipe published before an email change, say)", async () => {
    const cook = await signUpUnconfirmedTestUser();
    const recipe = await draft(cook, "Old favourite");
    await db.update(schema.recipes).set({ published: true }).where(eq(schema.recipes.id, recipe.id));
    expect(await setPublishedAction({}, publishForm(cook, recipe.id, false))).toMatchObject({ ok: true });
  });

  it("is confirmed by signing in with a magic link: the link came to that inbox", async () => {
    const cook = await signUpUnconfirmedTestUser();
    cookieJar.clear();
    await auth.api.signInMagicLink({ body: { email: cook.email, callbackURL: "/dashboard" }, headers: new Headers() });
    await flushAfterResponse();
    const [sent] = await db
      .select({ props: schema.emails.props })
      .from(schema.emails)
      .where(and(eq(schema.emails.to, cook.email), eq(schema.emails.template, "magic-link")));
    await auth.handler(new Request((sent!.props as { url: string }).url));
    const [user] = await db.select().from(schema.user).where(eq(schema.user.id, cook.id));
    expect(user?.emailVerified).toBe(true);
  });

  it("sees the resend rate-limited like every request that sends an email", async () => {
    await signUpUnconfirmedTestUser();
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await resendVerificationEmailAction({}, form()));
    await flushAfterResponse();
    expect(answers.slice(0, 10).every((answer) => answer.ok)).toBe(true);
    expect(answers[10]?.error).toMatch(/too many attempts/i);
  });
});
