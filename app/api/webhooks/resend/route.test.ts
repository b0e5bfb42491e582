import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { Webhook } from "svix";
import { describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { sendEmail } from "@/lib/email";
import { DEV_RESEND_WEBHOOK_SECRET } from "@/lib/core/dev-secrets";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { POST } from "./route";

/** A delivery signed the way Resend (through Svix) signs it. */
function delivery(
  type: string,
  data: Record<string, unknown>,
  options: { secret?: string; at?: Date; id?: string } = {},
) {
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const body = JSON.stringify({ type, created_at: at.toISOString(), data });
  const signature = new Webhook(options.secret ?? DEV_RESEND_WEBHOOK_SECRET).sign(id, at, body);
  return {
    id,
    body,
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": signature,
    },
  };
}

const post = (d: { body: string; headers: Record<string, string> }, body = d.body) =>
  POST(new Request("http://localhost/api/webhooks/resend", { method: "POST", headers: d.headers, body }));

const storedEvents = (eventId: string) =>
  db
    .select()
    .from(schema.webhookEvents)
    .where(and(eq(schema.webhookEvents.provider, "resend"), eq(schema.webhookEvents.eventId, eventId)));

/** An email that went out through the outbox, with a provider id the events can point at. */
async function sentEmail() {
  const to = `reader-${randomUUID()}@example.test`;
  const { id } = await sendEmail(db, {
    to,
    template: "welcome",
    props: { name: "Di", dashboardUrl: "http://localhost:3000/dashboard" },
  });
  await flushAfterResponse();
  const [email] = await db.select().from(schema.emails).where(eq(schema.emails.id, id));
  return email!;
}

describe("POST /api/webhooks/resend", () => {
  it("stores a verified event, answers 200, and updates the email's status in the background", async () => {
    const email = await sentEmail();
    const d = delivery("email.delivered", { email_id: email.providerId, to: [email.to] });
    const response = await post(d);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    expect(await storedEvents(d.id)).toHaveLength(1);

    await flushAfterResponse();
    const [event] = await storedEvents(d.id);
    expect(event?.status).toBe("processed");
    expect((await db.select().from(schema.emails).where(eq(schema.emails.id, email.id)))[0]?.status).toBe("delivered");
  });

  it.each([
    [
      "a forged signature (another secret)",
      () =>
        delivery(
          "email.delivered",
          { email_id: "x" },
          { secret: `whsec_${Buffer.from("someone-else").toString("base64")}` },
        ),
      undefined,
    ],
    [
      "a stale timestamp (over 5 minutes old)",
      () => delivery("email.delivered", { email_id: "x" }, { at: new Date(Date.now() - 6 * 60_000) }),
      undefined,
    ],
    [
      "a tampered body",
      () => delivery("email.delivered", { email_id: "x" }),
      (body: string) => body.replace('"x"', '"y"'),
    ],
  ])("refuses %s with 400 and stores nothing", async (_, make, tamper) => {
    const d = make();
    const response = await post(d, tamper ? tamper(d.body) : d.body);
    expect(response.status).toBe(400);
    expect(await storedEvents(d.id)).toEqual([]);
  });

  it("refuses a delivery without signature headers", async () => {
    const response = await POST(new Request("http://localhost/api/webhooks/resend", { method: "POST", body: "{}" }));
    expect(response.status).toBe(400);
  });

  it("acknowledges a duplicate delivery and processes the event once", async () => {
    const email = await sentEmail();
    const d = delivery("email.delivered", { email_id: email.providerId, to: [email.to] });
    expect((await post(d)).status).toBe(200);
    expect((await post(d)).status).toBe(200);
    await flushAfterResponse();
    const events = await storedEvents(d.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: "processed", attempts: 1 });
  });

  it("puts a bounced address on the suppression list, so the next email to it is not sent", async () => {
    const email = await sentEmail();
    await post(
      delivery("email.bounced", {
        email_id: email.providerId,
        to: [email.to],
        bounce: { message: "Mailbox does not exist" },
      }),
    );
    await flushAfterResponse();

    const [bounced] = await db.select().from(schema.emails).where(eq(schema.emails.id, email.id));
    expect(bounced).toMatchObject({ status: "bounced", lastError: "bounced: Mailbox does not exist" });
    const [suppression] = await db
      .select()
      .from(schema.emailSuppressions)
      .where(eq(schema.emailSuppressions.email, email.to));
    expect(suppression?.reason).toBe("bounced");

    const next = await sendEmail(db, {
      to: email.to,
      template: "welcome",
      props: { name: "Di", dashboardUrl: "http://x" },
    });
    expect(next.status).toBe("suppressed");
  });

  it("puts a complaining address on the suppression list", async () => {
    const email = await sentEmail();
    await post(delivery("email.complained", { email_id: email.providerId, to: [email.to] }));
    await flushAfterResponse();
    const [suppression] = await db
      .select()
      .from(schema.emailSuppressions)
      .where(eq(schema.emailSuppressions.email, email.to));
    expect(suppression?.reason).toBe("complained");
  });

  it("does not let a late 'delivered' undo a bounce", async () => {
    const email = await sentEmail();
    await post(delivery("email.bounced", { email_id: email.providerId, to: [email.to] }));
    await post(delivery("email.delivered", { email_id: email.providerId, to: [email.to] }));
    await flushAfterResponse();
    const [row] = await db.select().from(schema.emails).where(eq(schema.emails.id, email.id));
    expect(row?.status).toBe("bounced");
  });

  it("answers 200 to event types it does not handle", async () => {
    const d = delivery("email.opened", { email_id: "re_123" });
    expect((await post(d)).status).toBe(200);
    await flushAfterResponse();
    expect((await storedEvents(d.id))[0]?.status).toBe("processed");
  });
});
