import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { closeDatabase, db } from "@/lib/db";
import { setEnv } from "@/tests/support/env";
import { adminUrl, withDatabase } from "@/tests/support/postgres-url";
import { GET } from "./route";

// The database client is opened on first use from DATABASE_URL: close it, and the next query opens the configured one.
afterEach(() => closeDatabase());

describe("GET /api/health", () => {
  it("answers 200 {ok:true} when the database answers", async () => {
    // The embedded database migrates on its first query; health answers within 2 s, so start it first.
    await db.execute(sql`select 1`);
    const response = await GET(new Request("http://localhost/api/health"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("answers 503 when the database is unreachable", async () => {
    await closeDatabase();
    // Nothing listens on port 1: the real postgres.js client fails to connect.
    setEnv({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/unreachable" });
    const response = await GET(new Request("http://localhost/api/health"));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, error: "database unavailable" });
  });

  // The embedded database migrates itself; a Postgres that nobody ran `npm run db:migrate` on is the case to catch.
  it.runIf(process.env.DATABASE_URL)("answers 503 naming the fix when migrations are pending", async () => {
    const admin = postgres(adminUrl(process.env.DATABASE_URL!), { max: 1, onnotice: () => {} });
    const name = `health_unmigrated_${process.pid}_${Date.now()}`;
    await admin.unsafe(`create database "${name}"`);
    try {
      await closeDatabase();
      setEnv({ DATABASE_URL: withDatabase(process.env.DATABASE_URL!, name) });
      const response = await GET(new Request("http://localhost/api/health"));
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        ok: false,
        error: "database migrations pending: run `npm run db:migrate` against DATABASE_URL",
      });
    } finally {
      await closeDatabase();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
