import { randomUUID } from "node:crypto";
import { count, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { MAX_EMAIL_ATTEMPTS } from "@/lib/email";
import { recordWebhookEvent } from "@/lib/webhooks";
import { recordAudit, verifyAuditChains } from "@/lib/audit";
import { applyRetention, WEBHOOK_DEDUPE_DAYS } from "./retention";

const { webhookEvents, emails, contactMessages, realtimeEvents } = schema;
const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60_000);

async function webhookEvent(fields: Partial<typeof webhookEvents.$inferInsert>) {
  const eventId = `evt_${randomUUID()}`;
  const [row] = await db
    .insert(webhookEvents)
    .values({
      provider: "stripe",
      eventId,
      type: "customer.updated",
      payload: { id: eventId, data: { object: { email: "payer@example.test" } } },
      ...fields,
    })
    .returning();
  return row!;
}

const webhookRow = async (id: string) => (await db.select().from(webhookEvents).where(eq(webhookEvents.id, id)))[0];

async function email(fields: Partial<typeof emails.$inferInsert>) {
  const [row] = await db
    .insert(emails)
    .values({
      to: "reader@example.test",
      template: "contact-notification",
      subject: "Contact form: Hello",
      props: { message: "my phone number is 555-0100" },
      html: "<p>my phone number is 555-0100</p>",
      text: "my phone number is 555-0100",
      status: "sent",
      ...fields,
    })
    .returning();
  return row!;
}

const emailRow = async (id: string) => (await db.select().from(emails).where(eq(emails.id, id)))[0];

describe("applyRetention", () => {
  it("deletes processed webhook events past their days and keeps younger, unfinished and dead ones", async () => {
    const old = await webhookEvent({ status: "processed", processedAt: daysAgo(31), receivedAt: daysAgo(31) });
    const recent = await webhookEvent({ status: "processed", processedAt: daysAgo(29), receivedAt: daysAgo(29) });
    const dead = await webhookEvent({ status: "dead", receivedAt: daysAgo(90) });
    const pending = await webhookEvent({ status: "pending", receivedAt: daysAgo(90) });

    const result = await applyRetention(db, { days: { webhooks: 30 } });

    expect(result.webhookEventsDeleted).toBeGreaterThanOrEqual(1);
    expect(await webhookRow(old.id)).toBeUndefined();
    expect((await webhookRow(recent.id))?.payload).toEqual(recent.payload);
    // A dead event waits for a person (/dev/webhooks), a pending one for the sweeper.
    expect((await webhookRow(dead.id))?.payload).toEqual(dead.payload);
    expect((await webhookRow(pending.id))?.payload).toEqual(pending.payload);
  });

  it("with fewer days than the dedupe window, clears the payload but keeps the id, so a redelivery is still a duplicate", async () => {
    const stripped = await webhookEvent({ status: "processed", processedAt: daysAgo(3), receivedAt: daysAgo(3) });
    const gone = await webhookEvent({
      status: "processed",
      processedAt: daysAgo(WEBHOOK_DEDUPE_DAYS + 1),
      receivedAt: daysAgo(WEBHOOK_DEDUPE_DAYS + 1),
    });

    const result = await applyRetention(db, { days: { webhooks: 1 } });

    expect(result.webhookPayloadsCleared).toBeGreaterThanOrEqual(1);
    expect(await webhookRow(stripped.id)).toMatchObject({ status: "processed", payload: {} });
    expect(await webhookRow(gone.id)).toBeUndefined();
    // Stripe retries an event for three days: the stored id still turns it into a no-op.
    const redelivered = await recordWebhookEvent(db, {
      provider: "stripe",
      eventId: stripped.eventId,
      type: stripped.type,
      payload: { id: stripped.eventId },
    });
    expect(redelivered.isNew).toBe(false);
  });

  it("clears the bodies of finished emails past their days and keeps the delivery record", async () => {
    const old = await email({ createdAt: daysAgo(31), status: "delivered" });
    const recent = await email({ createdAt: daysAgo(29) });
    // Still to be sent: a retry renders it from its props.
    const retryable = await email({ createdAt: daysAgo(31), status: "failed", attempts: 1, html: null, text: null });
    const givenUp = await email({ createdAt: daysAgo(31), status: "failed", attempts: MAX_EMAIL_ATTEMPTS });

    const result = await applyRetention(db, { days: { emails: 30 } });

    expect(result.emailBodiesCleared).toBe(2);
    expect(await emailRow(old.id)).toMatchObject({
      html: null,
      text: null,
      props: {},
      status: "delivered",
      to: old.to,
      template: old.template,
    });
    expect(await emailRow(givenUp.id)).toMatchObject({ html: null, text: null, props: {} });
    expect(await emailRow(recent.id)).toMatchObject({ html: recent.html, text: recent.text, props: recent.props });
    expect((await emailRow(retryable.id))?.props).toEqual(retryable.props);
    // A second run finds nothing left to clear.
    expect((await applyRetention(db, { days: { emails: 30 } })).emailBodiesCleared).toBe(0);
  });

  it("deletes contact messages past their days, more than one chunk of them in a run", async () => {
    const tag = `retention-${randomUUID()}`;
    // 5,001 old messages: one more than a single delete statement takes.
    await db.execute(sql`
      insert into contact_messages (name, email, subject, message, created_at)
      select 'Old sender', 'old@example.test', ${tag}, 'an old message', now() - interval '181 days'
      from generate_series(1, 5001)`);
    const [young] = await db
      .insert(contactMessages)
      .values({ name: "New", email: "new@example.test", subject: tag, message: "a new one", createdAt: daysAgo(179) })
      .returning();

    const result = await applyRetention(db, { days: { contact: 180 } });

    expect(result.contactMessagesDeleted).toBe(5001);
    const left = await db
      .select({ id: contactMessages.id })
      .from(contactMessages)
      .where(eq(contactMessages.subject, tag));
    expect(left).toEqual([{ id: young!.id }]);
  });

  it("deletes real-time events after their 24 h replay window", async () => {
    const rows = await db
      .insert(realtimeEvents)
      .values([
        { userId: null, type: "webhook.status", createdAt: daysAgo(1.1) },
        { userId: null, type: "webhook.status", createdAt: daysAgo(0.9) },
      ])
      .returning({ id: realtimeEvents.id });

    const result = await applyRetention(db);

    expect(result.realtimeEventsDeleted).toBeGreaterThanOrEqual(1);
    const left = await db
      .select({ n: count() })
      .from(realtimeEvents)
      .where(
        inArray(
          realtimeEvents.id,
          rows.map((row) => row.id),
        ),
      );
    expect(left).toEqual([{ n: 1 }]);
  });

  it("deletes the public API's idempotency keys after their 24 hours", async () => {
    const [team] = await db
      .insert(schema.organization)
      .values({ id: randomUUID(), name: "Retained", slug: `retained-${randomUUID()}` })
      .returning();
    const key = (name: string, createdAt: Date) => ({
      organizationId: team!.id,
      key: name,
      method: "POST",
      path: "/api/v1/recipes",
      requestHash: "h",
      state: "done" as const,
      createdAt,
    });
    await db.insert(schema.idempotencyKeys).values([key("old", daysAgo(1.1)), key("young", daysAgo(0.9))]);

    const result = await applyRetention(db);

    expect(result.idempotencyKeysDeleted).toBeGreaterThanOrEqual(1);
    const left = await db
      .select({ key: schema.idempotencyKeys.key })
      .from(schema.idempotencyKeys)
      .where(eq(schema.idempotencyKeys.organizationId, team!.id));
    expect(left).toEqual([{ key: "young" }]);
  });

  it("reads its defaults from the environment: 30 days for webhooks and emails, 180 for contact messages", async () => {
    const processed29 = await webhookEvent({ status: "processed", processedAt: daysAgo(29), receivedAt: daysAgo(29) });
    const processed31 = await webhookEvent({ status: "processed", processedAt: daysAgo(31), receivedAt: daysAgo(31) });
    const email29 = await email({ createdAt: daysAgo(29) });
    const email31 = await email({ createdAt: daysAgo(31) });

    await applyRetention(db);

    expect(await webhookRow(processed29.id)).toBeDefined();
    expect(await webhookRow(processed31.id)).toBeUndefined();
    expect((await emailRow(email29.id))?.html).not.toBeNull();
    expect((await emailRow(email31.id))?.html).toBeNull();
  });

  it("deletes audit events past AUDIT_RETENTION_DAYS (365): the team's chain then starts at its oldest kept event", async () => {
    const teamId = `team-${randomUUID()}`;
    for (let n = 0; n < 4; n++) {
      await recordAudit(db, {
        teamId,
        actor: { type: "system", id: null, label: "system" },
        action: "recipe.created",
        metadata: { n },
      });
    }
    // Age the first two (only someone who can disable the trigger can: the test connects as a superuser).
    await db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await db.execute(sql`
      update audit_events set occurred_at = occurred_at - interval '366 days'
      where id in (select id from audit_events where organization_id = ${teamId} order by id limit 2)`);
    await db.execute(sql`alter table audit_events enable trigger audit_events_append_only`);

    const result = await applyRetention(db);

    expect(result.auditEventsDeleted).toBeGreaterThanOrEqual(2);
    const left = await db
      .select({ metadata: schema.auditEvents.metadata })
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.organizationId, teamId))
      .orderBy(schema.auditEvents.id);
    expect(left.map((row) => row.metadata)).toEqual([{ n: 2 }, { n: 3 }]);
    const { broken } = await verifyAuditChains(db);
    expect(broken.filter((link) => link.teamId === teamId)).toEqual([]);
  });
});
