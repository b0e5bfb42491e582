import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import * as pipeline from "@/lib/email";
import { replaceEnv, setEnv } from "@/tests/support/env";
import { startFakeResend } from "@/tests/support/fake-resend";
import { signUpTestUser } from "@/tests/support/users";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { recordEmailStatus } from "./status";

const resendApi = await startFakeResend();
afterAll(() => resendApi.close());

const address = () => `reader-${randomUUID()}@example.test`;
const emailRow = async (id: string) => (await db.select().from(schema.emails).where(eq(schema.emails.id, id)))[0]!;
const sendsTo = (to: string) => resendApi.sends().filter((send) => (send.body.to as string[] | string).includes(to));
const props = { name: "Ann", email: "ann@example.test", subject: "Hello", message: "A message long enough." };

describe("with RESEND_API_KEY: sent through Resend", () => {
  // Resend configured, and pointed at the local fake.
  let restoreEnv: () => void;
  beforeAll(() => {
    restoreEnv = replaceEnv({ RESEND_API_KEY: "re_test_key", RESEND_BASE_URL: resendApi.url });
  });
  afterAll(() => restoreEnv());

  it("sends once with the email id as idempotency key, even when the job runs twice", async () => {
    const to = address();
    const { id, status } = await pipeline.sendEmail(db, { to, template: "contact-notification", props });
    expect(status).toBe("queued");
    expect((await emailRow(id)).status).toBe("queued");

    await flushAfterResponse(); // the job enqueued by sendEmail
    const again = await Promise.all([pipeline.deliverEmail(db, id), pipeline.deliverEmail(db, id)]); // a retried job, twice at once
    expect(again).toEqual(["skipped", "skipped"]);

    const sends = sendsTo(to);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.headers["idempotency-key"]).toBe(`email-${id}`);
    expect(sends[0]!.headers.authorization).toBe("Bearer re_test_key");
    expect(sends[0]!.body).toMatchObject({
      subject: "Contact form: Hello",
      html: expect.stringContaining("A message long enough."),
    });
    expect(await emailRow(id)).toMatchObject({
      status: "sent",
      transport: "resend",
      providerId: expect.stringMatching(/^re_fake_/),
      attempts: 1,
    });
  });

  it("sends once when two jobs start at the same moment", async () => {
    const to = address();
    const { id } = await pipeline.sendEmail(db, {
      to,
      template: "welcome",
      props: { name: "Bo", dashboardUrl: "http://localhost:3000/dashboard" },
    });
    const results = await Promise.all([
      pipeline.deliverEmail(db, id),
      pipeline.deliverEmail(db, id),
      flushAfterResponse(),
    ]);
    expect(results.slice(0, 2).filter((result) => result === "sent")).toHaveLength(1);
    expect(sendsTo(to)).toHaveLength(1);
  });

  it("never sends to a suppressed address: the email is recorded as suppressed", async () => {
    const to = address();
    await pipeline.suppressAddress(db, to.toUpperCase(), "bounced", "evt_test");
    const { id, status } = await pipeline.sendEmail(db, { to, template: "contact-notification", props });
    expect(status).toBe("suppressed");
    await flushAfterResponse();
    expect(await pipeline.deliverEmail(db, id)).toBe("skipped");
    expect((await emailRow(id)).status).toBe("suppressed");
    expect(sendsTo(to)).toHaveLength(0);
  });

  it("does not send when the address bounced after the email was queued, from the job or the sweeper, and tells the recipient's stream", async () => {
    const reader = await signUpTestUser("Bounced");
    const sendsBefore = sendsTo(reader.email).length; // signing up may have sent a confirmation
    const statusesOnStream = async (emailId: string) =>
      (await db.select().from(schema.realtimeEvents).where(eq(schema.realtimeEvents.userId, reader.id)))
        .filter((event) => event.type === "email.status" && (event.data as { emailId?: string }).emailId === emailId)
        .map((event) => (event.data as { status: string }).status);

    // The job: queued, then the address bounces before the job runs.
    const queued = await pipeline.sendEmail(db, { to: reader.email, template: "contact-notification", props });
    expect(queued.status).toBe("queued");
    await pipeline.suppressAddress(db, reader.email, "bounced", "evt_after_queue");
    await flushAfterResponse();
    expect(await emailRow(queued.id)).toMatchObject({ status: "suppressed", lockedAt: null });
    expect(await statusesOnStream(queued.id)).toEqual(["suppressed"]);

    // The sweeper: a failed email whose backoff has passed, to an address that bounced meanwhile.
    const other = address();
    resendApi.fail(500);
    try {
      const { id } = await pipeline.sendEmail(db, { to: other, template: "contact-notification", props });
      await flushAfterResponse();
      expect((await emailRow(id)).status).toBe("failed");
      await pipeline.suppressAddress(db, other, "complained", "evt_after_failure");
      await db
        .update(schema.emails)
        .set({ nextAttemptAt: new Date(Date.now() - 1000) })
        .where(eq(schema.emails.id, id));
      resendApi.recover();
      await pipeline.retryFailedEmails(db);
      expect(await emailRow(id)).toMatchObject({ status: "suppressed", attempts: 2 });
      expect(sendsTo(other)).toHaveLength(1); // only the failed first try
    } finally {
      resendApi.recover();
    }
    expect(sendsTo(reader.email)).toHaveLength(sendsBefore);
  });

  it("announces a delivered email on its recipient's own stream, and on no user's stream for an address without an account", async () => {
    const reader = await signUpTestUser("Reader");
    // To users' own streams (the dev tools' feed, on in tests, hears every email too).
    const announced = async (emailId: string) =>
      (await db.select().from(schema.realtimeEvents).where(eq(schema.realtimeEvents.type, "email.status"))).filter(
        (event) => event.userId !== null && (event.data as { emailId?: string }).emailId === emailId,
      );

    const toAccount = await pipeline.sendEmail(db, { to: reader.email, template: "contact-notification", props });
    await flushAfterResponse();
    expect((await emailRow(toAccount.id)).status).toBe("sent");
    expect(
      (await announced(toAccount.id)).map((event) => [event.userId, (event.data as { status: string }).status]),
    ).toEqual([[reader.id, "sent"]]);

    const toStranger = await pipeline.sendEmail(db, { to: address(), template: "contact-notification", props });
    await flushAfterResponse();
    expect((await emailRow(toStranger.id)).status).toBe("sent");
    expect(await announced(toStranger.id)).toEqual([]);
  });

  it("records a Resend failure and the sweeper sends it once the backoff has passed", async () => {
    const to = address();
    resendApi.fail(500);
    try {
      const { id } = await pipeline.sendEmail(db, { to, template: "contact-notification", props });
      await flushAfterResponse();
      const failed = await emailRow(id);
      expect(failed).toMatchObject({
        status: "failed",
        attempts: 1,
        lastError: expect.stringContaining("Internal server error"),
      });
      expect(failed.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());

      // Not due yet: the sweeper leaves it alone.
      await pipeline.retryFailedEmails(db);
      expect(sendsTo(to)).toHaveLength(1);

      resendApi.recover();
      await db
        .update(schema.emails)
        .set({ nextAttemptAt: new Date(Date.now() - 1000) })
        .where(eq(schema.emails.id, id));
      await pipeline.retryFailedEmails(db);
      expect(await emailRow(id)).toMatchObject({ status: "sent", attempts: 2, lastError: null });
      expect(sendsTo(to)).toHaveLength(2); // the failed try and the successful one
    } finally {
      resendApi.recover();
    }
  });

  it("gives up after the last attempt", async () => {
    const to = address();
    resendApi.fail(422, "Invalid `to` field");
    try {
      const { id } = await pipeline.sendEmail(db, { to, template: "contact-notification", props });
      await flushAfterResponse();
      for (let attempt = 2; attempt <= pipeline.MAX_EMAIL_ATTEMPTS; attempt++) {
        await db
          .update(schema.emails)
          .set({ nextAttemptAt: new Date(Date.now() - 1000) })
          .where(eq(schema.emails.id, id));
        await pipeline.retryFailedEmails(db);
      }
      expect(await emailRow(id)).toMatchObject({
        status: "failed",
        attempts: pipeline.MAX_EMAIL_ATTEMPTS,
        nextAttemptAt: null,
      });
      expect(await pipeline.deliverEmail(db, id)).toBe("skipped");
      expect(sendsTo(to)).toHaveLength(pipeline.MAX_EMAIL_ATTEMPTS);
    } finally {
      resendApi.recover();
    }
  });

  it("gives up, visibly, on an email whose worker died during its last attempt", async () => {
    const to = address();
    const [email] = await db
      .insert(schema.emails)
      .values({
        to,
        template: "welcome",
        subject: "Welcome",
        props: { name: "Ed", dashboardUrl: "http://x/dashboard" },
        attempts: pipeline.MAX_EMAIL_ATTEMPTS,
        lockedAt: new Date(Date.now() - 60 * 60_000),
        createdAt: new Date(Date.now() - 2 * 60 * 60_000),
      })
      .returning();
    await pipeline.retryFailedEmails(db);
    expect(await emailRow(email!.id)).toMatchObject({
      status: "failed",
      lastError: "the worker stopped during the last attempt",
      lockedAt: null,
    });
    expect(sendsTo(to)).toHaveLength(0);
  });

  it("picks up an email whose job never ran", async () => {
    const to = address();
    const [email] = await db
      .insert(schema.emails)
      .values({
        to,
        template: "welcome",
        subject: "Welcome",
        props: { name: "Cy", dashboardUrl: "http://x/dashboard" },
        createdAt: new Date(Date.now() - 5 * 60_000),
      })
      .returning();
    await pipeline.retryFailedEmails(db);
    expect((await emailRow(email!.id)).status).toBe("sent");
    expect(sendsTo(to)).toHaveLength(1);
  });
});

describe("without RESEND_API_KEY: the dev outbox", () => {
  it("stores the rendered email instead of sending it", async () => {
    setEnv({ RESEND_API_KEY: undefined, RESEND_BASE_URL: resendApi.url });
    const to = address();
    const before = resendApi.received.length;
    const { id } = await pipeline.sendEmail(db, {
      to,
      template: "magic-link",
      props: { url: "http://localhost:3000/api/auth/magic-link/verify?token=abc" },
    });
    await flushAfterResponse();
    const row = await emailRow(id);
    expect(row).toMatchObject({ status: "sent", transport: "outbox", providerId: `outbox_${id}` });
    expect(row.html).toContain("magic-link/verify?token=abc");
    expect(row.text).toContain("Sign in");
    expect(resendApi.received.length).toBe(before);
  });
});

describe("recording a status with the dev tools off (production)", () => {
  it("writes the status alone when nobody would hear it, and announces it to an account holder in the same transaction", async () => {
    // Open this file's in-memory database first: a production start would open .data/ instead.
    const reader = await signUpTestUser("Quiet Reader");
    setEnv({
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: "a-production-secret-for-this-test-only-0123",
      ENABLE_DEV_TOOLS: undefined,
    });
    const store = async (to: string) => {
      const [email] = await db
        .insert(schema.emails)
        .values({ to, template: "contact-notification", subject: "s", props, status: "queued" })
        .returning();
      await recordEmailStatus(db, email!, { status: "sent", sentAt: new Date() });
      const events = await db.select().from(schema.realtimeEvents);
      return {
        status: (await emailRow(email!.id)).status,
        events: events.filter((event) => (event.data as { emailId?: string }).emailId === email!.id),
      };
    };

    const stranger = await store(address());
    expect(stranger.status).toBe("sent");
    expect(stranger.events).toEqual([]);

    const account = await store(reader.email);
    expect(account.status).toBe("sent");
    expect(account.events.map((event) => event.userId)).toEqual([reader.id]);
  });
});
