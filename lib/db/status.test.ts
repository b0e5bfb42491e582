import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrationsFolder } from "@/lib/db";
import { databaseStatus } from "./status";

const opened: PGlite[] = [];
let bare: ReturnType<typeof drizzle>;
// A fresh, started database for each test, made in a hook: PGlite's own start-up (seconds, and more on a busy
// machine) must count against neither the status check's timeout nor the test's.
beforeEach(async () => {
  const client = new PGlite();
  opened.push(client);
  await client.waitReady;
  bare = drizzle({ client });
}, 120_000);
afterEach(async () => {
  await Promise.all(opened.splice(0).map((client) => client.close()));
});

describe("databaseStatus", () => {
  it("finds migrations pending on a database nobody migrated", async () => {
    expect(await databaseStatus(bare)).toBe("migrations-pending");
  });

  it("is ok once every migration in drizzle/ is applied", async () => {
    await migrate(bare, { migrationsFolder });
    expect(await databaseStatus(bare)).toBe("ok");
  });

  it("finds migrations pending when the newest one is missing (a deploy that skipped db:migrate)", async () => {
    await migrate(bare, { migrationsFolder });
    await bare.execute(
      sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`,
    );
    expect(await databaseStatus(bare)).toBe("migrations-pending");
  });

  it("is unavailable when the database does not answer", async () => {
    await opened.pop()!.close();
    expect(await databaseStatus(bare)).toBe("unavailable");
  });
});
