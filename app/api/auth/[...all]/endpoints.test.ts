import { randomUUID } from "node:crypto";
import { APIError } from "better-auth/api";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auth } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { cookieJar } from "@/tests/support/next/headers";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { sessionOf, signInOnAnotherDevice, signUpTestUser } from "@/tests/support/users";
import { GET, POST } from "./route";

/**
 * Better Auth's own endpoints, as an attacker with a stolen session or no session at all reaches them
 * over HTTP and as our Server Actions reach them through `auth.api`: the same limits and side effects
 * on every path, and no endpoint served that the app does not use.
 */

beforeAll(async () => {
  await db.select().from(schema.user).limit(1);
});

const base = "http://localhost:3000/api/auth";
const json = { "content-type": "application/json", origin: "http://localhost:3000" };

/** The signed-in test browser's cookie, as a request header. */
function browserCookie() {
  return [...cookieJar.snapshot()].map(([name, value]) => `${name}=${value}`).join("; ");
}

const post = (path: string, body: unknown, cookie = "") =>
  POST(new Request(`${base}${path}`, { method: "POST", headers: { ...json, cookie }, body: JSON.stringify(body) }));

/** The error code Better Auth (or our hook) refused an `auth.api` call with, or "ok". */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "ok";
  } catch (error) {
    if (error instanceof APIError) return String(error.body?.code ?? error.status);
    throw error;
  }
}

async function emailsTo(to: string, template: string) {
  await flushAfterResponse();
  return db
    .select()
    .from(schema.emails)
    .where(and(eq(schema.emails.to, to), eq(schema.emails.template, template)))
    .orderBy(desc(schema.emails.createdAt));
}

/** The links of the reset emails sent to `email`, oldest first, as their reader gets them. */
async function resetTokens(email: string) {
  const sent = (await emailsTo(email, "reset-password")).reverse();
  return sent.map((row) => new URL((row.props as { url: string }).url).pathname.split("/").pop()!);
}

describe("endpoints the app does not use", () => {
  const unused: [method: "GET" | "POST", path: string][] = [
    ["GET", "/list-sessions"],
    ["POST", "/verify-password"],
    ["POST", "/change-password"],
    ["POST", "/update-user"],
    ["POST", "/revoke-session"],
    ["POST", "/revoke-sessions"],
    ["POST", "/revoke-other-sessions"],
    ["POST", "/change-email"],
    ["POST", "/delete-user"],
    ["GET", "/list-accounts"],
    ["POST", "/unlink-account"],
    ["POST", "/link-social"],
    ["POST", "/update-session"],
  ];

  it("answer 404 over HTTP, even to a signed-in caller, so /list-sessions never hands out session tokens", async () => {
    await signUpTestUser("Visitor");
    const cookie = browserCookie();
    for (const [method, path] of unused) {
      const request =
        method === "GET"
          ? GET(new Request(`${base}${path}`, { headers: { ...json, cookie } }))
          : post(path, { password: "x", currentPassword: "x", newPassword: "y".repeat(10), name: "x" }, cookie);
      const response = await request;
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.text(), `${method} ${path}`).not.toMatch(/"token"/);
    }
  });

  it("leave the ones the app's links and forms rely on", async () => {
    await signUpTestUser("Reader");
    const session = await GET(new Request(`${base}/get-session`, { headers: { ...json, cookie: browserCookie() } }));
    expect(session.status).toBe(200);
    expect((await session.json()).user.name).toBe("Reader");
  });
});

describe("every password check counts against the account's limit", () => {
  it("limits guesses through auth.api (any caller with a stolen session) and sign-in shares the count", async () => {
    const cook = await signUpTestUser("Guessed");
    const stolen = await signInOnAnotherDevice(cook.email);
    const guesses: string[] = [];
    for (let i = 0; i < 6; i++)
      guesses.push(await outcome(auth.api.verifyPassword({ body: { password: `guess-${i}` }, headers: stolen })));
    for (let i = 0; i < 6; i++) {
      const body = { currentPassword: `guess-${i}`, newPassword: "attacker-password" };
      guesses.push(await outcome(auth.api.changePassword({ body, headers: stolen })));
    }
    // Signing up and confirming used none of the address's budget: ten password checks, then refusals.
    expect(guesses.slice(0, 10)).toEqual(Array(10).fill("INVALID_PASSWORD"));
    expect(guesses.slice(10)).toEqual(["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
    // The right password is refused too while the limit lasts, and so is a sign-in to the account.
    const right = { currentPassword: "correct-horse-battery", newPassword: "attacker-password" };
    expect(await outcome(auth.api.changePassword({ body: right, headers: stolen }))).toBe("TOO_MANY_REQUESTS");
    const signIn = auth.api.signInEmail({
      body: { email: cook.email, password: "correct-horse-battery" },
      headers: new Headers(),
    });
    expect(await outcome(signIn)).toBe("TOO_MANY_REQUESTS");
  });
});

describe("a password change, through any path", () => {
  it("ends the other sessions, sends the notice and voids every reset link, even when the caller asked to keep them", async () => {
    const cook = await signUpTestUser("Changer");
    const here = cookieJar.snapshot();
    const laptop = await signInOnAnotherDevice(cook.email);
    await auth.api.requestPasswordReset({ body: { email: cook.email, redirectTo: "/reset-password" } });
    const [pendingReset] = await resetTokens(cook.email);
    cookieJar.restore(here);

    const headers = new Headers({ cookie: browserCookie() });
    const body = {
      currentPassword: "correct-horse-battery",
      newPassword: "a-new-password",
      revokeOtherSessions: false,
    };
    expect(await outcome(auth.api.changePassword({ body, headers }))).toBe("ok");

    expect(await sessionOf(laptop)).toBeNull();
    expect(await emailsTo(cook.email, "password-changed")).toHaveLength(1);
    const reset = auth.api.resetPassword({ body: { token: pendingReset!, newPassword: "attacker-password" } });
    expect(await outcome(reset)).toBe("INVALID_TOKEN");
  });
});

describe("a password reset", () => {
  it("voids the account's older reset links: the first link no longer works once the second was used", async () => {
    const cook = await signUpTestUser("Resetter");
    for (let i = 0; i < 2; i++)
      await auth.api.requestPasswordReset({ body: { email: cook.email, redirectTo: "/reset-password" } });
    const [first, second] = await resetTokens(cook.email);
    expect(first).not.toBe(second);

    expect(
      await outcome(auth.api.resetPassword({ body: { token: second!, newPassword: "owners-new-password" } })),
    ).toBe("ok");
    const late = await post("/reset-password", { token: first, newPassword: "attacker-password" });
    expect(late.status).toBe(400);
    expect((await late.json()).code).toBe("INVALID_TOKEN");
    const attacker = auth.api.signInEmail({ body: { email: cook.email, password: "attacker-password" } });
    expect(await outcome(attacker)).toBe("INVALID_EMAIL_OR_PASSWORD");
  });
});

describe("the profile fields hold the forms' limits on every path", () => {
  const longName = "N".repeat(15_000);

  it("refuses an API sign-up with a name the form would refuse, or an image, and stores nothing", async () => {
    for (const extra of [{ name: longName }, { name: "  " }, { name: "Ann", image: "javascript:alert(1)" }]) {
      const email = `cook-${randomUUID()}@example.test`;
      const response = await post("/sign-up/email", { email, password: "long-enough-password", ...extra });
      expect(response.status, JSON.stringify(extra).slice(0, 60)).toBe(400);
      expect(await db.$count(schema.user, eq(schema.user.email, email))).toBe(0);
    }
  });

  it("refuses a magic link whose new account would get a name the form refuses", async () => {
    const response = await post("/sign-in/magic-link", { email: `cook-${randomUUID()}@example.test`, name: longName });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe("INVALID_NAME");
  });

  it("refuses a name over 80 characters or an image through auth.api.updateUser, and keeps the name", async () => {
    const cook = await signUpTestUser("Kept Name");
    const headers = new Headers({ cookie: browserCookie() });
    expect(await outcome(auth.api.updateUser({ body: { name: longName }, headers }))).toBe("INVALID_NAME");
    expect(await outcome(auth.api.updateUser({ body: { image: "javascript:alert(1)" }, headers }))).toBe(
      "FIELD_NOT_ALLOWED",
    );
    expect(await outcome(auth.api.updateUser({ body: { name: "  Trimmed  " }, headers }))).toBe("ok");
    const [row] = await db.select().from(schema.user).where(eq(schema.user.id, cook.id));
    expect({ name: row!.name, image: row!.image }).toEqual({ name: "Trimmed", image: null });
  });
});
