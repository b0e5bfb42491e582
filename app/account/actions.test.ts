import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auth, getSession } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { createTeam } from "@/lib/teams";
import { asOneRequest, cookieJar, headers } from "@/tests/support/next/headers";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { sessionOf, signInOnAnotherDevice, signUpTestUser } from "@/tests/support/users";
import {
  changeEmailAction,
  changePasswordAction,
  deleteAccountAction,
  revokeOtherSessionsAction,
  updateNameAction,
} from "./actions";
import { form } from "@/tests/support/form";

async function lastEmail(to: string, template: string) {
  await flushAfterResponse();
  const [sent] = await db
    .select()
    .from(schema.emails)
    .where(and(eq(schema.emails.to, to), eq(schema.emails.template, template)))
    .orderBy(desc(schema.emails.createdAt));
  return sent;
}

/**
 * Whether `device`'s cookie is a session. Asked with the jar put back after: Better Auth clears an ended
 * session's cookie through next/headers, which would otherwise sign out the test's own browser.
 */
async function signedIn(device: Headers) {
  const jar = cookieJar.snapshot();
  const session = await sessionOf(device);
  cookieJar.restore(jar);
  return session !== null;
}

describe("updateNameAction", () => {
  it("saves the name, and keeps what was typed on a field error", async () => {
    const cook = await signUpTestUser("Old Name");
    expect(await updateNameAction({}, form({ name: "  " }))).toMatchObject({
      fieldErrors: { name: ["Tell us your name."] },
      values: { name: "  " },
    });
    expect(await updateNameAction({}, form({ name: "New Name" }))).toMatchObject({ ok: true });
    const [row] = await db.select().from(schema.user).where(eq(schema.user.id, cook.id));
    expect(row!.name).toBe("New Name");
  });
});

describe("changeEmailAction", () => {
  it("moves the account only after the current address approves and the new one confirms, with no welcome email", async () => {
    const cook = await signUpTestUser("Mover");
    const newEmail = `moved-${cook.id.slice(0, 8)}@example.test`.toLowerCase();
    expect(await changeEmailAction({}, form({ email: newEmail }))).toMatchObject({ ok: true });
    const [unchanged] = await db.select().from(schema.user).where(eq(schema.user.id, cook.id));
    expect(unchanged!.email).toBe(cook.email);

    const approval = await lastEmail(cook.email, "email-change-requested");
    expect(approval!.html).toContain(newEmail);
    const approved = await auth.handler(new Request((approval!.props as { url: string }).url));
    expect(approved.status).toBe(302);
    expect((await db.select().from(schema.user).where(eq(schema.user.id, cook.id)))[0]!.email).toBe(cook.email);

    const confirmation = await lastEmail(newEmail, "verify-new-email");
    const welcomesBefore = await db.$count(schema.emails, eq(schema.emails.template, "welcome"));
    const confirmed = await auth.handler(new Request((confirmation!.props as { url: string }).url));
    expect(confirmed.headers.get("location")).toBe("/account");
    const [moved] = await db.select().from(schema.user).where(eq(schema.user.id, cook.id));
    expect(moved).toMatchObject({ email: newEmail, emailVerified: true });
    await flushAfterResponse();
    expect(await db.$count(schema.emails, eq(schema.emails.template, "welcome"))).toBe(welcomesBefore);
  });
});

describe("changePasswordAction", () => {
  it("needs the current password; then signs out every other session and sends a notice", async () => {
    const cook = await signUpTestUser("Passer");
    const here = cookieJar.snapshot();
    const phone = await signInOnAnotherDevice(cook.email);
    cookieJar.restore(here);

    const wrong = await changePasswordAction({}, form({ currentPassword: "not-it", newPassword: "a-new-password" }));
    expect(wrong).toEqual({ fieldErrors: { currentPassword: ["That is not your current password."] } });
    expect(await signedIn(phone)).toBe(true);

    const short = await changePasswordAction({}, form({ currentPassword: "x", newPassword: "short" }));
    expect(short.fieldErrors?.newPassword).toEqual(["Use at least 8 characters."]);
    expect(short.values).toEqual({});

    const done = await changePasswordAction(
      {},
      form({ currentPassword: "correct-horse-battery", newPassword: "a-new-password" }),
    );
    expect(done).toMatchObject({ ok: true });
    expect(await signedIn(phone)).toBe(false);
    expect((await getSession())?.user.id).toBe(cook.id);
    expect(await lastEmail(cook.email, "password-changed")).toMatchObject({ status: "sent" });
  });

  it("keeps this browser on /account: the page it revalidates, rendered in the same request, reads the new session", async () => {
    const cook = await signUpTestUser("Stayer");

    const rendered = await asOneRequest(async () => {
      const state = await changePasswordAction(
        {},
        form({ currentPassword: "correct-horse-battery", newPassword: "a-new-password" }),
      );
      // What /account's re-render asks (requireUser): the session of the cookie the action just set.
      return { state, session: await getSession() };
    });

    expect(rendered.state).toEqual({ ok: true, message: "Password changed; your other sessions were signed out." });
    expect(rendered.session?.user.id).toBe(cook.id);
  });
});

describe("revokeOtherSessionsAction", () => {
  it("ends every other session at once and keeps this one", async () => {
    const cook = await signUpTestUser("Revoker");
    const here = cookieJar.snapshot();
    const tablet = await signInOnAnotherDevice(cook.email);
    cookieJar.restore(here);
    expect(await revokeOtherSessionsAction({}, form())).toMatchObject({ ok: true });
    expect(await signedIn(tablet)).toBe(false);
    expect((await getSession())?.user.id).toBe(cook.id);
  });
});

describe("deleteAccountAction", () => {
  it("refuses a wrong password and deletes nothing; the right one deletes, signs out and says goodbye", async () => {
    const cook = await signUpTestUser("Leaver");
    await db.insert(schema.recipes).values({ organizationId: cook.teamId, createdBy: cook.id, title: "Last soup" });
    // A session older than the fresh-sign-in window, so the password is what confirms it.
    await db
      .update(schema.session)
      .set({ createdAt: new Date(Date.now() - 60 * 60_000) })
      .where(eq(schema.session.userId, cook.id));
    const browser = await headers();

    expect(await deleteAccountAction({}, form())).toMatchObject({ fieldErrors: { password: [expect.any(String)] } });
    expect(await deleteAccountAction({}, form({ password: "wrong-password" }))).toEqual({
      fieldErrors: { password: ["That is not your password."] },
    });
    expect(await db.$count(schema.recipes, eq(schema.recipes.organizationId, cook.teamId))).toBe(1);

    const signal = await deleteAccountAction({}, form({ password: "correct-horse-battery" })).catch((e: unknown) => e);
    expect(signal).toBeInstanceOf(RedirectSignal);
    expect((signal as RedirectSignal).url).toBe("/goodbye");
    expect(await db.$count(schema.user, eq(schema.user.id, cook.id))).toBe(0);
    // The personal team goes with the account, and its recipes with it.
    expect(await db.$count(schema.organization, eq(schema.organization.id, cook.teamId))).toBe(0);
    expect(await db.$count(schema.recipes, eq(schema.recipes.organizationId, cook.teamId))).toBe(0);
    expect(await sessionOf(browser)).toBeNull();
    expect(await getSession()).toBeNull();
    expect(await lastEmail(cook.email, "account-deleted")).toMatchObject({ status: "sent" });
  });

  it("refuses while the account is the only owner of a team, says which, and deletes nothing", async () => {
    const cook = await signUpTestUser("Sole Owner");
    await createTeam(db, { name: "Corner Bistro", ownerId: cook.id });

    const state = await deleteAccountAction({}, form({ password: "correct-horse-battery" }));

    expect(state).toEqual({ error: expect.stringContaining("You are the only owner of Corner Bistro.") });
    expect(await db.$count(schema.user, eq(schema.user.id, cook.id))).toBe(1);
    expect(await db.$count(schema.organization, eq(schema.organization.id, cook.teamId))).toBe(1);
    expect((await getSession())?.user.id).toBe(cook.id);
  });

  it("takes a fresh sign-in instead of the password", async () => {
    const cook = await signUpTestUser("Quick Leaver");
    const signal = await deleteAccountAction({}, form()).catch((e: unknown) => e);
    expect(signal).toBeInstanceOf(RedirectSignal);
    expect(await db.$count(schema.user, eq(schema.user.id, cook.id))).toBe(0);
  });
});

describe("password checks on the account page", () => {
  it("are limited per account like sign-in attempts, so a stolen session cannot guess the password there", async () => {
    const cook = await signUpTestUser("Guessed");
    const answers = [];
    for (let attempt = 0; attempt < 11; attempt++)
      answers.push(await deleteAccountAction({}, form({ password: `guess-${attempt}` })));
    expect(answers.slice(0, 10).every((answer) => answer.fieldErrors?.password)).toBe(true);
    expect(answers[10]!.error).toMatch(/^Too many attempts\. Please try again in \d+ seconds\.$/);
    const blocked = await changePasswordAction(
      {},
      form({ currentPassword: "correct-horse-battery", newPassword: "another-password" }),
    );
    expect(blocked.error).toMatch(/^Too many attempts/);
    expect(await db.$count(schema.user, eq(schema.user.id, cook.id))).toBe(1);
  });
});
