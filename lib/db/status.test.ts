import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { migrationsFolder } from "@/lib/db";
import { databaseStatus } from "./status";

const opened: PGlite[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((client) => client.close()));
});

/** A fresh, started database: PGlite's own start-up (seconds on a busy machine) must not count against the status check's timeout. */
async function bareDatabase() {
  const client = new PGlite();
  opened.push(client);
  await client.waitReady;
  return drizzle({ client });
}

describe("databaseStatus", () => {
  it("finds migrations pending on a database nobody migrated", async () => {
    expect(await databaseStatus(await bareDatabase())).toBe("migrations-pending");
  });

  it("is ok once every migration in drizzle/ is applied", async () => {
    const db = await bareDatabase();
    await migrate(db, { migrationsFolder });
    expect(await databaseStatus(db)).toBe("ok");
  });

  it("finds migrations pending when the newest one is missing (a deploy that skipped db:migrate)", async () => {
    const db = await bareDatabase();
    await migrate(db, { migrationsFolder });
    await db.execute(
      sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`,
    );
    expect(await databaseStatus(db)).toBe("migrations-pending");
  });

  it("is unavailable when the database does not answer", async () => {
    const db = await bareDatabase();
    await opened.pop()!.close();
    expect(await databaseStatus(db)).toBe("unavailable");
  });
});
