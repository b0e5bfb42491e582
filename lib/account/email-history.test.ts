import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { exportAccountData } from "@/lib/account";
import { auth } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { sendEmail } from "@/lib/email";
import { cookieJar } from "@/tests/support/next/headers";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { confirmationToken } from "@/tests/support/users";

/**
 * The emails sent to an address are its owner's business: an account sees them (in its export, and as
 * `email.status` events on its stream) only once it has confirmed the address, and only from then on.
 * Anyone can sign up with any address, the operator's CONTACT_TO included, without confirming it.
 */

beforeAll(async () => {
  await db.select().from(schema.user).limit(1);
});

const visitorMessage = (subject: string) => ({
  template: "contact-notification" as const,
  props: { name: "Visitor", email: "visitor@example.test", subject, message: "A private question for the owner." },
});

async function statusEventsOf(userId: string) {
  await flushAfterResponse();
  const rows = await db
    .select()
    .from(schema.realtimeEvents)
    .where(and(eq(schema.realtimeEvents.userId, userId), eq(schema.realtimeEvents.type, "email.status")));
  return rows.map((row) => (row.data as { template: string }).template);
}

async function exportedEmails(userId: string) {
  const data = await exportAccountData(db, userId);
  return data!.emails.map((email) => `${email.template}: ${email.subject}`);
}

describe("an account and the emails sent to its address", () => {
  it("sees none while unconfirmed, and once confirmed only those sent from then on", async () => {
    cookieJar.clear();
    const inbox = `owner-${randomUUID()}@example.test`;
    await sendEmail(db, { to: inbox, ...visitorMessage("Before the account existed") });
    await flushAfterResponse();

    // A squatter signs up with the address and signs in with the password (unconfirmed cooks may).
    const password = "squatters-password";
    const { user } = await auth.api.signUpEmail({ body: { name: "Squatter", email: inbox, password } });
    await auth.api.signInEmail({ body: { email: inbox, password } });
    await sendEmail(db, { to: inbox, ...visitorMessage("While unconfirmed") });
    expect(await exportedEmails(user.id)).toEqual([]);
    expect(await statusEventsOf(user.id)).toEqual([]);

    // The owner of the inbox opens the confirmation link.
    await auth.api.verifyEmail({ query: { token: await confirmationToken(inbox) } });
    await flushAfterResponse();
    const [confirmed] = await db.select().from(schema.user).where(eq(schema.user.id, user.id));
    expect(confirmed!.emailVerifiedAt).toBeInstanceOf(Date);
    await sendEmail(db, { to: inbox, ...visitorMessage("After confirming") });

    expect(await exportedEmails(user.id)).toEqual([
      "welcome: Welcome to Recipe Box",
      expect.stringContaining("After confirming"),
    ]);
    expect(await statusEventsOf(user.id)).toEqual(["welcome", "contact-notification"]);
  });
});
