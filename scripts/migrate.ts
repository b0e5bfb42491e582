/**
 * `npm run db:migrate`: applies the committed migrations in drizzle/ to
 * DATABASE_URL (run it on every deploy), or to the embedded database.
 */
import "./load-env";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { closeDatabase, createEmbeddedDatabase, createPostgresDatabase, migrationsFolder } from "@/lib/db";
import { env } from "@/lib/env";

async function main() {
  if (env.DATABASE_URL) {
    const { db, close } = createPostgresDatabase(env.DATABASE_URL, { max: 1 });
    await migrate(db as never, { migrationsFolder });
    await close();
    console.log("Migrated DATABASE_URL.");
  } else {
    const dir = env.PGLITE_DATA_DIR ?? ".data/pglite";
    const { ready, close } = createEmbeddedDatabase(dir);
    await ready;
    await close();
    console.log(`Migrated the embedded database in ${dir}.`);
  }
  await closeDatabase();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
