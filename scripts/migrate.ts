/**
 * `npm run db:migrate`: applies the committed migrations in drizzle/ to
 * DATABASE_URL (run it on every deploy), or to the embedded database.
 */
import "./load-env";
import path from "node:path";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { closeDatabase, createPostgresDatabase, migrationsFolder } from "@/lib/db";
import { createEmbeddedDatabase, embeddedDataDir } from "@/lib/db/embedded";
import { env } from "@/lib/core/env";

async function main() {
  if (env.DATABASE_URL) {
    const { db, close } = createPostgresDatabase(env.DATABASE_URL, { max: 1 });
    await migrate(db as never, { migrationsFolder });
    await close();
    console.log("Migrated DATABASE_URL.");
  } else {
    // Creates .data/ on a fresh clone, and refuses while `npm run dev` holds the database.
    const dir = embeddedDataDir();
    const { ready, close } = createEmbeddedDatabase(dir);
    await ready;
    await close();
    console.log(`Migrated the embedded database in ${path.relative(process.cwd(), dir) || dir}.`);
  }
  await closeDatabase();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
