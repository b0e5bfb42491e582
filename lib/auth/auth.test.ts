import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auth } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { headers } from "@/tests/support/next/headers";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { signUpTestUser } from "@/tests/support/users";

beforeAll(async () => {
  await db.select().from(schema.user).limit(1);
});

describe("sessions", () => {
  it("end the moment their row is gone: no cookie keeps a deleted session or user working", async () => {
    const cook = await signUpTestUser("Cached Cook");
    const browser = await headers();
    expect((await auth.api.getSession({ headers: browser }))?.user.email).toBe(cook.email);
    // Better Auth sets no session-data cookie that could stand in for the database.
    expect(browser.get("cookie")).not.toContain("session_data");

    await db.delete(schema.session).where(eq(schema.session.userId, cook.id));
    expect(await auth.api.getSession({ headers: browser })).toBeNull();

    const again = await signUpTestUser("Deleted Cook");
    const theirs = await headers();
    await db.delete(schema.user).where(eq(schema.user.id, again.id));
    expect(await auth.api.getSession({ headers: theirs })).toBeNull();
  });

  it("a password reset ends every session of the account at once", async () => {
    const cook = await signUpTestUser("Reset Cook");
    const browser = await headers();
    // The token the reset email carries (app/(auth)/password-reset.test.ts follows the whole flow).
    await auth.api.requestPasswordReset({ body: { email: cook.email } });
    while ((await flushAfterResponse()) > 0);
    const [email] = await db
      .select({ props: schema.emails.props })
      .from(schema.emails)
      .where(and(eq(schema.emails.to, cook.email), eq(schema.emails.template, "reset-password")));
    const token = new URL((email!.props as { url: string }).url).pathname.split("/").pop()!;
    await auth.api.resetPassword({ body: { newPassword: "a-brand-new-password", token } });
    expect(await auth.api.getSession({ headers: browser })).toBeNull();
    expect(await db.$count(schema.session, eq(schema.session.userId, cook.id))).toBe(0);
  });
});
