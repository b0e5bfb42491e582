import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "@/lib/db";
import { withDatabase } from "@/tests/support/postgres-url";

const contractTables = [
  "account",
  "ai_generations",
  "apikey",
  "audit_events",
  "contact_messages",
  "email_suppressions",
  "emails",
  "idempotency_keys",
  "invitation",
  "member",
  "organization",
  "rate_limits",
  "realtime_events",
  "recipes",
  "session",
  "subscriptions",
  "uploads",
  "user",
  "verification",
  "webhook_attempts",
  "webhook_endpoints",
  "webhook_events",
  "webhook_messages",
];

const listTables = "select table_name from information_schema.tables where table_schema = 'public' order by 1";

describe("migrations apply from scratch", () => {
  // An empty cluster, started in a hook: creating it takes seconds (more on a busy machine), not the test's time.
  let client: PGlite;
  beforeAll(async () => {
    client = new PGlite("memory://");
    await client.waitReady;
  }, 120_000);
  afterAll(() => client.close());

  it("on embedded PGlite", async () => {
    await migratePglite(drizzlePglite({ client }), { migrationsFolder });
    const { rows } = await client.query<{ table_name: string }>(listTables);
    expect(rows.map((row) => row.table_name)).toEqual(contractTables);
  });

  const adminUrl = process.env.DATABASE_URL;
  it.skipIf(!adminUrl)("on PostgreSQL (a brand-new database)", async () => {
    const name = `migrate_${randomUUID().replaceAll("-", "")}`;
    const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const client = postgres(withDatabase(adminUrl!, name), { max: 1, onnotice: () => {} });
    try {
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
      const rows = await client.unsafe<{ table_name: string }[]>(listTables);
      expect(rows.map((row) => row.table_name)).toEqual(contractTables);
      // Running them again is a no-op, as on every deploy.
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
    } finally {
      await client.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
  if (!adminUrl) console.log("[tests] PostgreSQL migration test skipped: DATABASE_URL is not set (CI runs it)");
});
