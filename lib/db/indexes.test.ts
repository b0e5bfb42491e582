import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { eq, sql } from "drizzle-orm";
import type { Logger } from "drizzle-orm/logger";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAiUsageByKind, getLatestWeekPlan } from "@/lib/ai";
import { getTeamPlan } from "@/lib/billing";
import { submitContactMessage } from "@/lib/contact";
import { retryFailedEmails } from "@/lib/email";
import { listRealtimeEventsAfter } from "@/lib/realtime/events";
import { listTeamRecipesWithPhotos } from "@/lib/recipes";
import { applyRetention } from "@/lib/cron";
import { photoIdsForRecipes } from "@/lib/uploads";
import { processPendingEvents, processWebhookEvent, recordWebhookEvent } from "@/lib/webhooks";
import {
  createEndpoint,
  deliverAttempt,
  listDeliveries,
  recordWebhookMessage,
  sweepWebhookDeliveries,
} from "@/lib/webhooks-out";
import { fanOutMessage } from "@/lib/webhooks-out/fan-out";
import { migrationsFolder, schema, type Database } from "./index";

/**
 * Every query the hot paths send (webhook receipt and processing, the
 * sweeper's claims, the dashboard's reads, the contact form, SSE replay, the
 * retention job), captured through drizzle's logger as the code builds them,
 * then EXPLAINed with the planner forbidden to scan a whole table
 * (`enable_seqscan = off`). Postgres still picks a sequential scan when no
 * index can serve a query, so "no Seq Scan in any plan" means every one of
 * them has an index. On PGlite by default, on Postgres with DATABASE_URL.
 */
type Captured = { query: string; params: unknown[]; path: string };

const captured: Captured[] = [];
let currentPath = "";
const logger: Logger = { logQuery: (query, params) => void captured.push({ query, params, path: currentPath }) };

const databaseUrl = process.env.DATABASE_URL;
let db: Database;
let explain: (query: string, params: unknown[]) => Promise<string>;
let close: () => Promise<void>;

beforeAll(async () => {
  if (databaseUrl) {
    const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    db = drizzlePostgres({ client, schema, logger }) as unknown as Database;
    explain = async (query, params) => {
      await client.unsafe("set enable_seqscan = off");
      const rows = await client.unsafe(`explain ${query}`, params as never[]);
      await client.unsafe("reset enable_seqscan");
      return rows.map((row) => row["QUERY PLAN"] as string).join("\n");
    };
    close = () => client.end();
  } else {
    const client = new PGlite("memory://");
    await migratePglite(drizzlePglite({ client }), { migrationsFolder });
    db = drizzlePglite({ client, schema, logger }) as unknown as Database;
    explain = async (query, params) => {
      await client.exec("set enable_seqscan = off");
      const { rows } = await client.query<{ "QUERY PLAN": string }>(`explain ${query}`, params);
      await client.exec("reset enable_seqscan");
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    };
    close = () => client.close();
  }
  await seed();
  captured.length = 0;
}, 120_000);

afterAll(() => close());

const userId = `user_${randomUUID()}`;
const teamId = `team_${randomUUID()}`;

/** A few thousand rows in the tables the hot paths read, so plans are the ones a real database gets. */
async function seed() {
  await db.insert(schema.user).values({ id: userId, name: "Cook", email: `${userId}@example.test` });
  await db.insert(schema.organization).values({ id: teamId, name: "Cooks", slug: teamId });
  await db.insert(schema.member).values({ id: `member_${userId}`, organizationId: teamId, userId, role: "owner" });
  // Other teams, so the team lookups are picked out of many.
  await db.execute(sql`
    insert into organization (id, name, slug) select 'other_' || g, 'Other', 'other-' || g from generate_series(1, 2000) g`);
  await db.execute(sql`
    insert into webhook_events (provider, event_id, type, payload, status, received_at, processed_at)
    select 'stripe', 'evt_seed_' || g, 'charge.refunded', '{}'::jsonb, 'processed',
      now() - g * interval '1 minute', now() - g * interval '1 minute'
    from generate_series(1, 3000) g`);
  await db.execute(sql`
    insert into webhook_events (provider, event_id, type, payload, received_at)
    select 'stripe', 'evt_due_' || g, 'charge.refunded', '{}'::jsonb, now() - interval '5 minutes'
    from generate_series(1, 20) g`);
  await db.execute(sql`
    insert into emails ("to", template, subject, status, html, created_at)
    select 'reader@example.test', 'welcome', 'Welcome', 'sent', '<p>hi</p>', now() - g * interval '1 hour'
    from generate_series(1, 3000) g`);
  await db.execute(sql`
    insert into contact_messages (name, email, subject, message, created_at)
    select 'Sender', 'sender@example.test', 'Hello', 'A message', now() - g * interval '1 hour'
    from generate_series(1, 3000) g`);
  await db.execute(sql`
    insert into recipes (organization_id, created_by, title)
    select ${teamId}, ${userId}, 'Recipe ' || g from generate_series(1, 20) g`);
  await db.execute(sql`
    insert into realtime_events (organization_id, type, created_at)
    select ${teamId}, 'recipe.changed', now() - g * interval '1 minute' from generate_series(1, 3000) g`);
  // Outbound webhooks: an endpoint in each other team, and a history of messages and tries.
  await db.execute(sql`
    insert into webhook_endpoints (organization_id, url, secret)
    select 'other_' || g, 'https://hooks.example/' || g, 'whsec_seed' from generate_series(1, 2000) g`);
  await db.execute(sql`
    insert into webhook_messages (id, organization_id, type, payload, created_at, dispatched_at)
    select 'msg_seed_' || g, 'other_' || (g % 2000 + 1), 'recipe.created', '{}'::jsonb,
      now() - g * interval '1 minute', now() - g * interval '1 minute'
    from generate_series(1, 3000) g`);
  await db.execute(sql`
    insert into webhook_attempts (message_id, endpoint_id, attempt, status, next_attempt_at, created_at)
    select m.id, e.id, 1, 'succeeded', m.created_at, m.created_at
    from webhook_messages m join webhook_endpoints e on e.organization_id = m.organization_id`);
  await db.execute(sql`analyze`);
}

async function run(path: string, work: () => Promise<unknown>) {
  currentPath = path;
  await work();
  currentPath = "";
}

describe("every query on a hot path can use an index", () => {
  beforeAll(async () => {
    await run("webhook receipt", () =>
      recordWebhookEvent(db, { provider: "stripe", eventId: "evt_new", type: "charge.refunded", payload: {} }),
    );
    await run("webhook job", () => processWebhookEvent(db, "stripe", "evt_new"));
    await run("sweeper: webhook events", () => processPendingEvents(db, { batchSize: 10, concurrency: 1 }));
    await run("sweeper: emails", () => retryFailedEmails(db, { concurrency: 1 }));
    await run("contact form", () =>
      submitContactMessage(
        db,
        { name: "Ann", email: "ann@example.test", subject: "Hi", message: "A message long enough." },
        { requestId: "req_test" },
      ),
    );
    await run("dashboard", async () => {
      await listTeamRecipesWithPhotos(db, teamId);
      await getTeamPlan(db, teamId);
      await getAiUsageByKind(db, teamId);
      await getLatestWeekPlan(db, teamId);
    });
    // The edit page's photo lookup.
    await run("recipe photos", async () => {
      const recipes = await listTeamRecipesWithPhotos(db, teamId);
      await photoIdsForRecipes(
        db,
        recipes.map((recipe) => recipe.id),
      );
    });
    // Better Auth's session read, as its Drizzle adapter sends it.
    await run("session lookup", () =>
      db.select().from(schema.session).where(eq(schema.session.token, "a-session-token")),
    );
    await run("SSE replay", () => listRealtimeEventsAfter(db, { userId, teamIds: [teamId] }, 10));
    await run("retention job", () => applyRetention(db, { days: { webhooks: 30, emails: 30, contact: 30 } }));
    // A port nothing listens on: the try fails at once and its failure path is recorded.
    const setUp = captured.length;
    const endpoint = await createEndpoint(
      db,
      { teamId },
      { url: "http://127.0.0.1:9/", description: "", event_types: null },
    );
    captured.length = setUp; // setting up, not a hot path
    let messageId = "";
    await run("outbound webhooks: outbox", () =>
      db.transaction(async (tx) => {
        messageId = (await recordWebhookMessage(tx, undefined, teamId, "recipe.created", {} as never))!;
      }),
    );
    let attempts: Awaited<ReturnType<typeof fanOutMessage>> = [];
    await run("outbound webhooks: fan-out", async () => {
      attempts = await fanOutMessage(db, messageId);
    });
    await run("outbound webhooks: delivery", () => deliverAttempt(db, attempts[0]!.attemptId));
    await run("outbound webhooks: deliveries page", () => listDeliveries(db, { teamId }, endpoint.id));
    await run("sweeper: outbound webhooks", () => sweepWebhookDeliveries(db));
  }, 120_000);

  it("captured the paths' queries", () => {
    expect(new Set(captured.map((c) => c.path))).toEqual(
      new Set([
        "webhook receipt",
        "webhook job",
        "sweeper: webhook events",
        "sweeper: emails",
        "contact form",
        "dashboard",
        "recipe photos",
        "session lookup",
        "SSE replay",
        "retention job",
        "outbound webhooks: outbox",
        "outbound webhooks: fan-out",
        "outbound webhooks: delivery",
        "outbound webhooks: deliveries page",
        "sweeper: outbound webhooks",
      ]),
    );
  });

  it("no plan scans a whole table", async () => {
    const explained = [];
    for (const { query, params, path } of captured) {
      if (/^(begin|commit|rollback|savepoint|release)/i.test(query)) continue;
      const plan = await explain(query, params);
      explained.push({ path, query, plan });
    }
    if (process.env.PRINT_PLANS) for (const e of explained) console.log(`## ${e.path}\n${e.query}\n${e.plan}\n`);
    const seqScans = explained.filter(({ plan }) => plan.includes("Seq Scan"));
    expect(seqScans, seqScans.map(({ path, query, plan }) => `${path}: ${query}\n${plan}`).join("\n\n")).toEqual([]);
  });

  it("the sweeper's and the retention job's scans use the indexes made for them", async () => {
    const plansOf = async (path: string) =>
      (await Promise.all(captured.filter((c) => c.path === path).map((c) => explain(c.query, c.params)))).join("\n");
    expect(await plansOf("sweeper: webhook events")).toContain("webhook_events_due_idx");
    expect(await plansOf("sweeper: emails")).toContain("emails_due_idx");
    const retention = await plansOf("retention job");
    expect(retention).toContain("webhook_events_processed_at_idx");
    expect(retention).toContain("emails_body_created_at_idx");
    expect(retention).toContain("contact_messages_created_at_idx");
    expect(retention).toContain("realtime_events_created_at_idx");
    expect(retention).toContain("webhook_messages_created_at_idx");
    const sweep = await plansOf("sweeper: outbound webhooks");
    expect(sweep).toContain("webhook_messages_undispatched_idx");
    expect(sweep).toContain("webhook_attempts_due_idx");
  });
});
