import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getSession, auth } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { freezeAtWindowStart } from "@/tests/support/clock";
import { cookieJar, fakeClient } from "@/tests/support/next/headers";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { confirmationToken, sessionOf } from "@/tests/support/users";
import { resetPasswordAction, sendMagicLinkAction, signInAction, signOutAction, signUpAction } from "./actions";
import { form } from "@/tests/support/form";

// Each test comes from its own address, so the sign-in rate limit only counts its own attempts.
beforeEach(() => {
  fakeClient.ip = `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
});

const newEmail = () => `cook-${randomUUID()}@example.test`;

/** The newest email of `template` sent to `email`, with its link. */
async function lastEmail(email: string, template: string) {
  const [sent] = await db
    .select()
    .from(schema.emails)
    .where(and(eq(schema.emails.to, email), eq(schema.emails.template, template)))
    .orderBy(desc(schema.emails.createdAt));
  return sent;
}

/** Signs up through the action and confirms the address, as a new cook does, then signs out. */
async function signUpConfirmed(email: string, name = "Ann") {
  await signUpAction({}, form({ name, email, password: "long-enough" }));
  await auth.api.verifyEmail({ query: { token: await confirmationToken(email) } });
  cookieJar.clear();
}

describe("signUpAction", () => {
  it("creates the user and emails a link that confirms the address, signs them in and goes to the dashboard", async () => {
    cookieJar.clear();
    const email = newEmail();
    const state = await signUpAction({}, form({ name: "Ann", email, password: "long-enough" }));
    expect(state).toEqual({ ok: true, message: expect.stringContaining(email) });
    const [user] = await db.select().from(schema.user).where(eq(schema.user.email, email));
    expect(user).toMatchObject({ name: "Ann", emailVerified: false });
    // Not signed in until the address is confirmed.
    expect(await getSession()).toBeNull();

    await flushAfterResponse();
    const sent = await lastEmail(email, "verify-email");
    expect(sent).toMatchObject({ status: "sent", subject: "Confirm your email for Recipe Box" });
    const url = new URL((sent!.props as { url: string }).url);
    expect(sent!.html).toContain(url.searchParams.get("token"));

    const response = await auth.handler(new Request(url));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/dashboard");
    const sessionCookie = response.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith("better-auth.session_token="));
    const session = await sessionOf(new Headers({ cookie: sessionCookie!.split(";")[0]! }));
    expect(session?.user).toMatchObject({ email, emailVerified: true });

    // Confirmed, the cook gets the welcome email, once.
    await flushAfterResponse();
    expect(
      await db.$count(schema.emails, and(eq(schema.emails.to, email), eq(schema.emails.template, "welcome"))),
    ).toBe(1);
  });

  it("returns field errors and never echoes the password", async () => {
    cookieJar.clear();
    const state = await signUpAction({}, form({ name: "", email: "nope", password: "short" }));
    expect(Object.keys(state.fieldErrors ?? {}).sort()).toEqual(["email", "name", "password"]);
    expect(state.values).toEqual({ name: "", email: "nope" });
  });

  it("answers a registered email exactly as a new one, and emails its owner instead of opening an account", async () => {
    const email = newEmail();
    await signUpConfirmed(email);
    const before = await db.$count(schema.emails, eq(schema.emails.to, email));

    const again = await signUpAction({}, form({ name: "Mallory", email, password: "another-password" }));
    const fresh = newEmail();
    const first = await signUpAction({}, form({ name: "Mallory", email: fresh, password: "another-password" }));
    expect(again).toEqual({ ...first, message: first.message!.replace(fresh, email) });
    expect(await getSession()).toBeNull();

    await flushAfterResponse();
    expect(await db.$count(schema.user, eq(schema.user.email, email))).toBe(1);
    const [owner] = await db.select().from(schema.user).where(eq(schema.user.email, email));
    expect(owner?.name).toBe("Ann");
    // Exactly one new email to the owner: "you already have an account", with the way to sign in.
    const after = await db.select().from(schema.emails).where(eq(schema.emails.to, email));
    expect(after).toHaveLength(before + 1);
    const notice = await lastEmail(email, "account-exists");
    expect(notice).toMatchObject({ status: "sent", subject: "You already have a Recipe Box account" });
    expect(notice!.html).toContain("http://localhost:3000/sign-in");
    // And the password typed by the stranger opens nothing.
    const signIn = await signInAction({}, form({ email, password: "another-password" }));
    expect(signIn.error).toMatch(/invalid email or password/i);
  });

  it("answers a sign-up over an unconfirmed account with a link to choose the password, which ends the first one's sessions", async () => {
    const email = newEmail();
    // Someone signs up with an address that is not theirs and signs in with their password (unconfirmed cooks may).
    await signUpAction({}, form({ name: "Squatter", email, password: "squatters-password" }));
    await expect(signInAction({}, form({ email, password: "squatters-password" }))).rejects.toBeInstanceOf(
      RedirectSignal,
    );
    const squatter = cookieJar.snapshot();
    cookieJar.clear();

    // The owner signs up: the same answer as ever, and the email offers to choose the password, not to confirm.
    const state = await signUpAction({}, form({ name: "Owner", email, password: "owners-password" }));
    expect(state).toEqual({ ok: true, message: expect.stringContaining(email) });
    while ((await flushAfterResponse()) > 0);
    const sent = await db
      .select()
      .from(schema.emails)
      .where(eq(schema.emails.to, email))
      .orderBy(schema.emails.createdAt);
    expect(sent.map((row) => row.template)).toEqual(["verify-email", "finish-sign-up"]);
    expect(sent[1]).toMatchObject({ status: "sent", subject: "Finish signing up for Recipe Box" });

    const landing = await auth.handler(new Request((sent[1]!.props as { url: string }).url));
    const page = new URL(landing.headers.get("location")!);
    expect(`${page.pathname}?purpose=${page.searchParams.get("purpose")}`).toBe(
      "/reset-password?purpose=finish-sign-up",
    );
    await expect(
      resetPasswordAction({}, form({ token: page.searchParams.get("token")!, password: "owners-password" })),
    ).rejects.toEqual(new RedirectSignal("/sign-in?reset=done"));

    // The squatter is out for good; the owner's account is confirmed and welcomed.
    cookieJar.restore(squatter);
    expect(await getSession()).toBeNull();
    cookieJar.clear();
    expect((await signInAction({}, form({ email, password: "squatters-password" }))).error).toMatch(/invalid/i);
    const [user] = await db.select().from(schema.user).where(eq(schema.user.email, email));
    expect(user?.emailVerified).toBe(true);
    while ((await flushAfterResponse()) > 0);
    expect(
      await db.$count(schema.emails, and(eq(schema.emails.to, email), eq(schema.emails.template, "welcome"))),
    ).toBe(1);
  });

  it("only redirects to paths on this site", async () => {
    cookieJar.clear();
    const email = newEmail();
    await signUpAction({}, form({ name: "Ann", email, password: "long-enough", next: "//evil.example" }));
    const url = new URL(((await lastEmail(email, "verify-email"))!.props as { url: string }).url);
    expect(url.searchParams.get("callbackURL")).toBe("/dashboard");
  });

  it("takes the cook back to the page they came for", async () => {
    const email = newEmail();
    await signUpAction({}, form({ name: "Ann", email, password: "long-enough", next: "/dashboard/recipes/new" }));
    const url = ((await lastEmail(email, "verify-email"))!.props as { url: string }).url;
    const response = await auth.handler(new Request(url));
    expect(response.headers.get("location")).toBe("/dashboard/recipes/new");
  });
});

describe("return paths in every flow that redirects", () => {
  const offSite = ["/..//evil.example/phish", "//evil.example", "/%2F%2Fevil.example", "https://evil.example/"];

  it.each(offSite)("sign-in with next=%s lands on the dashboard", async (next) => {
    const email = newEmail();
    await signUpConfirmed(email, "Eve");
    await expect(signInAction({}, form({ email, password: "long-enough", next }))).rejects.toEqual(
      new RedirectSignal("/dashboard"),
    );
  });

  it.each(offSite)("Better Auth refuses callbackURL=%s with 403 and sends nothing", async (callbackURL) => {
    const email = newEmail();
    const response = await auth.handler(
      new Request("http://localhost:3000/api/auth/sign-in/magic-link", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost:3000" },
        body: JSON.stringify({ email, callbackURL }),
      }),
    );
    expect(response.status).toBe(403);
    await flushAfterResponse();
    expect(await db.select().from(schema.emails).where(eq(schema.emails.to, email))).toEqual([]);
  });

  it("Better Auth refuses an off-site callbackURL on the magic-link verify link too", async () => {
    const response = await auth.handler(
      new Request("http://localhost:3000/api/auth/magic-link/verify?token=x&callbackURL=%2F..%2F%2Fevil.example"),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get("location")).toBeNull();
  });
});

describe("signInAction and signOutAction", () => {
  it("signs in with the right password, to the requested page, and out again", async () => {
    const email = newEmail();
    await signUpConfirmed(email, "Ben");
    expect(await getSession()).toBeNull();

    const attempt = signInAction({}, form({ email, password: "long-enough", next: "/dashboard/recipes/new" }));
    await expect(attempt).rejects.toEqual(new RedirectSignal("/dashboard/recipes/new"));
    expect((await getSession())?.user.email).toBe(email);

    await expect(signOutAction()).rejects.toEqual(new RedirectSignal("/"));
    expect(await getSession()).toBeNull();
  });

  it("refuses a wrong password with a message and no session", async () => {
    const email = newEmail();
    await signUpConfirmed(email, "Cy");
    const state = await signInAction({}, form({ email, password: "wrong-password" }));
    expect(state.error).toMatch(/invalid email or password/i);
    expect(state.values).toEqual({ email });
    expect(await getSession()).toBeNull();
  });

  it("signs in with the right password before the address is confirmed, as an unconfirmed cook", async () => {
    const email = newEmail();
    await signUpAction({}, form({ name: "Di", email, password: "long-enough" }));
    cookieJar.clear();
    await expect(signInAction({}, form({ email, password: "long-enough" }))).rejects.toEqual(
      new RedirectSignal("/dashboard"),
    );
    // Drafting works; publishing and Checkout wait for the link (lib/auth/verified-email.test.ts), which the banner resends.
    expect((await getSession())?.user).toMatchObject({ email, emailVerified: false });
    await flushAfterResponse();
    expect(
      await db.$count(schema.emails, and(eq(schema.emails.to, email), eq(schema.emails.template, "verify-email"))),
    ).toBe(1);
  });

  it("refuses a stranger's password for an unconfirmed address too", async () => {
    const email = newEmail();
    await signUpAction({}, form({ name: "Di", email, password: "long-enough" }));
    cookieJar.clear();
    const state = await signInAction({}, form({ email, password: "not-the-password" }));
    expect(state.error).toMatch(/invalid email or password/i);
    expect(await getSession()).toBeNull();
  });

  it("returns field errors for a malformed email", async () => {
    const state = await signInAction({}, form({ email: "not-an-email", password: "" }));
    expect(state.fieldErrors?.email).toBeDefined();
    expect(state.fieldErrors?.password).toBeDefined();
  });
});

describe("magic-link sign-in", () => {
  it("emails a one-time link through the pipeline that signs the user in", async () => {
    cookieJar.clear();
    const email = newEmail();
    const state = await sendMagicLinkAction({}, form({ email, next: "/dashboard" }));
    expect(state).toMatchObject({ ok: true, message: expect.stringContaining(email) });
    await flushAfterResponse();

    const [sent] = await db
      .select()
      .from(schema.emails)
      .where(and(eq(schema.emails.to, email), eq(schema.emails.template, "magic-link")))
      .orderBy(desc(schema.emails.createdAt));
    expect(sent).toMatchObject({ status: "sent", transport: "outbox" });
    const url = new URL((sent!.props as { url: string }).url);
    expect(sent!.html).toContain(url.searchParams.get("token"));

    // Following the link is a GET to the auth route: it sets the session cookie and redirects to the dashboard.
    const response = await auth.handler(new Request(url));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://localhost:3000/dashboard");
    const sessionCookie = response.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith("better-auth.session_token="));
    const session = await sessionOf(new Headers({ cookie: sessionCookie!.split(";")[0]! }));
    expect(session?.user.email).toBe(email);

    // The link works once.
    const again = await auth.handler(new Request(url));
    expect(again.headers.get("location")).toMatch(/error=/i);
  });
});

describe("rate limiting of sign-in attempts", () => {
  beforeEach(() => freezeAtWindowStart(60));
  afterEach(() => vi.useRealTimers());

  it("refuses the 11th attempt on one account within a minute whatever X-Forwarded-For says, and not other accounts", async () => {
    const email = newEmail();
    const attempt = (account = email) => {
      // A new forged address each time: with TRUST_PROXY unset no forwarded header is believed.
      fakeClient.ip = `10.${Math.floor(Math.random() * 250)}.0.${Math.floor(Math.random() * 250)}`;
      return signInAction({}, form({ email: account, password: "guess" }));
    };
    for (let i = 0; i < 10; i++) expect((await attempt()).error).toMatch(/invalid email or password/i);
    expect((await attempt()).error).toMatch(/too many attempts/i);
    // The same account in other letter cases is the same account.
    expect((await attempt(email.toUpperCase())).error).toMatch(/too many attempts/i);
    expect((await attempt(newEmail())).error).toMatch(/invalid email or password/i);
  });

  const authRequest = (path: string, body: Record<string, unknown>, forwardedFor: string = randomUUID()) =>
    auth.handler(
      new Request(`http://localhost:3000/api/auth${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: "http://localhost:3000",
          "x-forwarded-for": forwardedFor,
          "x-real-ip": forwardedFor,
        },
        body: JSON.stringify(body),
      }),
    );

  it("applies the same per-account limit to Better Auth's HTTP endpoint, with varied forwarded headers", async () => {
    const email = newEmail();
    const attempt = (i: number) => authRequest("/sign-in/email", { email, password: "guess" }, `203.0.113.${i}`);
    for (let i = 0; i < 10; i++) expect((await attempt(i)).status).toBe(401);
    const refused = await attempt(99);
    expect(refused.status).toBe(429);
    expect((await refused.json()).message).toMatch(/too many attempts/i);
  });

  it.each([
    ["sign-up", "/sign-up/email", (email: string) => ({ email, password: "long-enough", name: "Ann" })],
    ["magic link", "/sign-in/magic-link", (email: string) => ({ email })],
    ["password reset", "/request-password-reset", (email: string) => ({ email })],
  ])("limits %s requests per email address too", async (_, path, body) => {
    const email = newEmail();
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await authRequest(path, body(email))).status);
    expect(statuses.slice(0, 10)).not.toContain(429);
    expect(statuses[10]).toBe(429);
    await flushAfterResponse();
  });
});
