import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { adminUrl, databaseName, TEST_DATABASE_SUFFIX } from "./postgres-url";

/**
 * With DATABASE_URL the suite runs on real Postgres: that database is migrated
 * once here and becomes the template every test file clones (tests/support/database.ts).
 * Without it every test file gets its own in-memory PGlite, migrated on first use.
 */
export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log("[tests] database: embedded PGlite (in memory, one per test file)");
    return;
  }
  console.log(`[tests] database: PostgreSQL, one clone of ${databaseName(url)} per test file`);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle({ client }), { migrationsFolder: "drizzle" });
  } finally {
    await client.end();
  }

  return async function dropClones() {
    const admin = postgres(adminUrl(url), { max: 1, onnotice: () => {} });
    try {
      const clones = await admin<
        { datname: string }[]
      >`select datname from pg_database where datname like ${`${databaseName(url)}${TEST_DATABASE_SUFFIX}%`}`;
      for (const { datname } of clones) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    } finally {
      await admin.end();
    }
  };
}
