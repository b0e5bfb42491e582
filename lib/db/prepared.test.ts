import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createPostgresDatabase } from "@/lib/db";
import { postgresServerReachable, postgresServerUrl } from "@/tests/support/postgres-server";

const reachable = await postgresServerReachable("prepared statements");

/** The statements this connection (a pool of one) has prepared. */
async function preparedOnConnection(db: ReturnType<typeof createPostgresDatabase>["db"]) {
  // postgres.js answers db.execute with the rows themselves.
  const rows = (await db.execute(sql`select statement from pg_prepared_statements`)) as unknown as {
    statement: string;
  }[];
  return rows.map((row) => row.statement);
}

describe.skipIf(!reachable)("postgres.js statements through Drizzle", () => {
  const opened: ReturnType<typeof createPostgresDatabase>[] = [];
  const open = (options: { prepare?: boolean } = {}) => {
    const database = createPostgresDatabase(postgresServerUrl, { max: 1, ...options });
    opened.push(database);
    return database.db;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
  });

  it("are prepared once per connection, in and out of transactions", async () => {
    const db = open();
    for (let i = 0; i < 3; i++) await db.execute(sql`select ${i}::int as outside`);
    await db.transaction(async (tx) => {
      await tx.execute(sql`select ${1}::int as inside`);
      await tx.transaction((savepoint) => savepoint.execute(sql`select ${2}::int as nested`));
    });
    const prepared = await preparedOnConnection(db);
    expect(prepared.filter((statement) => statement.includes("as outside"))).toHaveLength(1);
    expect(prepared.some((statement) => statement.includes("as inside"))).toBe(true);
    expect(prepared.some((statement) => statement.includes("as nested"))).toBe(true);
  });

  it("are not prepared with prepare: false (DATABASE_PREPARED_STATEMENTS=0, for poolers that cannot keep them)", async () => {
    const db = open({ prepare: false });
    await db.execute(sql`select ${1}::int as unprepared`);
    expect(await preparedOnConnection(db)).toEqual([]);
  });
});
