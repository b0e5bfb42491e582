import { afterEach, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { closeDatabase, db } from "@/lib/db";

afterEach(async () => {
  await closeDatabase();
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("GET /api/health", () => {
  it("answers 200 {ok:true} when the database answers", async () => {
    // The embedded database migrates on its first query; health answers within 2 s, so start it first.
    await db.execute(sql`select 1`);
    const { GET } = await import("./route");
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("answers 503 when the database is unreachable", async () => {
    await closeDatabase();
    // Nothing listens on port 1: the real postgres.js client fails to connect.
    vi.stubEnv("DATABASE_URL", "postgres://postgres@127.0.0.1:1/unreachable");
    vi.resetModules();
    const { GET } = await import("./route");
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, error: "database unavailable" });
  });
});
