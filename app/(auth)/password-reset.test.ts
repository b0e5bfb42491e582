import { randomUUID } from "node:crypto";
import { and, desc, eq, like } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { auth, authRoute } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { cookieJar, fakeClient, headers } from "@/tests/support/next/headers";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { sessionOf, signUpTestUser } from "@/tests/support/users";
import { requestPasswordResetAction, resetPasswordAction } from "./actions";
import { form } from "@/tests/support/form";

// Each test comes from its own address, so the per-IP auth limit only counts its own requests.
beforeEach(() => {
  fakeClient.ip = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
});
afterEach(() => vi.useRealTimers());

/** The email is queued after the answer, and its delivery job after that: run both. */
async function flushAll() {
  while ((await flushAfterResponse()) > 0);
}

/** Asks for a reset as /forgot-password does, and returns the link from the email it sent. */
async function requestResetLink(email: string) {
  const state = await requestPasswordResetAction({}, form({ email }));
  expect(state.ok).toBe(true);
  await flushAll();
  const [sent] = await db
    .select()
    .from(schema.emails)
    .where(and(eq(schema.emails.to, email), eq(schema.emails.template, "reset-password")))
    .orderBy(desc(schema.emails.createdAt));
  expect(sent).toMatchObject({ status: "sent", subject: "Reset your Recipe Box password" });
  const url = new URL((sent!.props as { url: string }).url);
  expect(sent!.html).toContain(url.pathname);
  return url;
}

/** Follows the emailed link as the browser does: Better Auth checks the token and redirects to /reset-password. */
async function followLink(url: URL) {
  const response = await auth.handler(new Request(url));
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location")!);
}

async function canSignIn(email: string, password: string) {
  try {
    await auth.api.signInEmail({ body: { email, password } });
    return true;
  } catch {
    return false;
  }
}

describe("password reset", () => {
  it("emails a one-hour link; a new password ends every session and the old password stops working", async () => {
    const cook = await signUpTestUser("Forgetful Cook");
    const laptop = await headers();
    // A second device, signed in with the old password.
    await auth.api.signInEmail({ body: { email: cook.email, password: "correct-horse-battery" } });
    expect(await db.$count(schema.session, eq(schema.session.userId, cook.id))).toBeGreaterThanOrEqual(2);
    cookieJar.clear();

    const link = await requestResetLink(cook.email);
    // Stored hashed: the token in the email is nowhere in the database.
    const token = link.pathname.split("/").pop()!;
    expect(await db.$count(schema.verification, like(schema.verification.identifier, `%${token}%`))).toBe(0);
    const [stored] = await db
      .select()
      .from(schema.verification)
      .where(eq(schema.verification.value, cook.id))
      .orderBy(desc(schema.verification.createdAt));
    const lifetime = stored!.expiresAt.getTime() - stored!.createdAt.getTime();
    expect(Math.abs(lifetime - 60 * 60 * 1000)).toBeLessThan(5_000);

    const landing = await followLink(link);
    expect(`${landing.origin}${landing.pathname}`).toBe("http://localhost:3000/reset-password");
    expect(landing.searchParams.get("token")).toBe(token);

    await expect(resetPasswordAction({}, form({ token, password: "a-brand-new-password" }))).rejects.toEqual(
      new RedirectSignal("/sign-in?reset=done"),
    );

    expect(await sessionOf(laptop)).toBeNull();
    expect(await db.$count(schema.session, eq(schema.session.userId, cook.id))).toBe(0);
    expect(await canSignIn(cook.email, "correct-horse-battery")).toBe(false);
    expect(await canSignIn(cook.email, "a-brand-new-password")).toBe(true);

    // The owner is told, through the pipeline, that the password changed.
    await flushAfterResponse();
    expect(
      await db.$count(
        schema.emails,
        and(eq(schema.emails.to, cook.email), eq(schema.emails.template, "password-changed")),
      ),
    ).toBe(1);
  });

  it("refuses a link that was already used, and the password stays the one it set", async () => {
    const cook = await signUpTestUser("Twice Cook");
    cookieJar.clear();
    const token = (await requestResetLink(cook.email)).pathname.split("/").pop()!;
    await expect(resetPasswordAction({}, form({ token, password: "first-new-password" }))).rejects.toBeInstanceOf(
      RedirectSignal,
    );

    const again = await resetPasswordAction({}, form({ token, password: "second-new-password" }));
    expect(again.error).toMatch(/expired or was already used/);
    expect(await canSignIn(cook.email, "second-new-password")).toBe(false);
    expect(await canSignIn(cook.email, "first-new-password")).toBe(true);
    // The emailed link itself now lands on the page's "expired" answer.
    const landing = await followLink(
      new URL(`http://localhost:3000/api/auth/reset-password/${token}?callbackURL=%2Freset-password`),
    );
    expect(landing.searchParams.get("error")).toBe("INVALID_TOKEN");
  });

  it("refuses a link older than an hour", async () => {
    const cook = await signUpTestUser("Late Cook");
    cookieJar.clear();
    const link = await requestResetLink(cook.email);
    const token = link.pathname.split("/").pop()!;

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61 * 60 * 1000);
    expect((await followLink(link)).searchParams.get("error")).toBe("INVALID_TOKEN");
    const state = await resetPasswordAction({}, form({ token, password: "too-late-password" }));
    expect(state.error).toMatch(/expired or was already used/);
    vi.useRealTimers();
    expect(await canSignIn(cook.email, "correct-horse-battery")).toBe(true);
  });

  it("refuses a made-up token", async () => {
    const state = await resetPasswordAction({}, form({ token: randomUUID(), password: "whatever-password" }));
    expect(state.error).toMatch(/expired or was already used/);
  });

  it("answers an unknown address exactly as a registered one, no sooner, and emails nobody", async () => {
    const cook = await signUpTestUser("Known Cook");
    cookieJar.clear();
    const stranger = `nobody-${randomUUID()}@example.test`;

    let started = Date.now();
    const known = await requestPasswordResetAction({}, form({ email: cook.email }));
    const knownMs = Date.now() - started;
    started = Date.now();
    const unknown = await requestPasswordResetAction({}, form({ email: stranger }));
    const unknownMs = Date.now() - started;

    expect(unknown).toEqual({ ...known, message: known.message!.replace(cook.email, stranger) });
    // Both wait for the same floor, so neither answers faster (a registered address's email goes after the answer).
    expect(knownMs).toBeGreaterThanOrEqual(395);
    expect(unknownMs).toBeGreaterThanOrEqual(395);
    await flushAll();
    expect(await db.$count(schema.emails, eq(schema.emails.to, stranger))).toBe(0);
    expect(
      await db.$count(
        schema.emails,
        and(eq(schema.emails.to, cook.email), eq(schema.emails.template, "reset-password")),
      ),
    ).toBe(1);
  });

  it("answers Better Auth's own endpoint alike too, for a registered and an unknown address", async () => {
    const cook = await signUpTestUser("Direct Cook");
    const ask = async (email: string) => {
      const started = Date.now();
      const response = await authRoute(
        new Request("http://localhost:3000/api/auth/request-password-reset", {
          method: "POST",
          headers: { "content-type": "application/json", origin: "http://localhost:3000" },
          body: JSON.stringify({ email, redirectTo: "/reset-password" }),
        }),
      );
      return { status: response.status, body: await response.json(), ms: Date.now() - started };
    };
    const known = await ask(cook.email);
    const unknown = await ask(`nobody-${randomUUID()}@example.test`);
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual(known.body);
    expect(known.ms).toBeGreaterThanOrEqual(395);
    expect(unknown.ms).toBeGreaterThanOrEqual(395);
    await flushAll();
  });

  it("confirms the address of an account that never confirmed it: the link came to that inbox", async () => {
    cookieJar.clear();
    const email = `unconfirmed-${randomUUID()}@example.test`;
    await auth.api.signUpEmail({ body: { name: "Squatted", email, password: "someone-elses-password" } });
    const token = (await requestResetLink(email)).pathname.split("/").pop()!;
    await expect(resetPasswordAction({}, form({ token, password: "the-owners-password" }))).rejects.toBeInstanceOf(
      RedirectSignal,
    );
    const [user] = await db.select().from(schema.user).where(eq(schema.user.email, email));
    expect(user?.emailVerified).toBe(true);
    expect(await canSignIn(email, "someone-elses-password")).toBe(false);
  });
});
