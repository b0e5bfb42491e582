import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

/**
 * With DATABASE_URL the suite runs on real Postgres: migrate it once here.
 * Without it every test file gets its own in-memory PGlite, migrated on first use.
 */
export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log("[tests] database: embedded PGlite (in memory, one per test file)");
    return;
  }
  console.log(`[tests] database: PostgreSQL at ${url.replace(/\/\/[^@]*@/, "//")}`);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle({ client }), { migrationsFolder: "drizzle" });
  } finally {
    await client.end();
  }
}
