import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../support/postgres-url";
import { postgresServerReachable, postgresServerUrl } from "../support/postgres-server";

/**
 * `npm run db:migrate` must honour .env.local, as `next dev` does. The script
 * runs as a child process with its working directory set to a fresh temporary
 * folder holding only what a checkout would have there for it: the committed
 * migrations (drizzle/, copied) and a .env.local naming a new database. The
 * script and tsconfig come from this checkout by absolute path, so nothing is
 * written into the repository and a developer's own .env.local is never read.
 */
const root = path.resolve(import.meta.dirname, "../..");
const databaseName = `h12_migrate_${randomUUID().replaceAll("-", "")}`;
const databaseUrl = withDatabase(postgresServerUrl, databaseName);

const reachable = await postgresServerReachable("db:migrate script test");

/** Runs scripts/migrate.ts as `npm run db:migrate` does, in `cwd`, without the test runner's database settings. */
function runMigrate(cwd: string) {
  // The test runner's own DATABASE_URL and NODE_ENV=test (which makes Next skip .env.local) stay out of the child.
  const childEnv: Record<string, string | undefined> = { ...process.env };
  delete childEnv.DATABASE_URL;
  delete childEnv.NODE_ENV;
  delete childEnv.PGLITE_DATA_DIR;
  return promisify(execFile)(
    path.join(root, "node_modules/.bin/tsx"),
    [
      "--tsconfig",
      path.join(root, "tsconfig.json"),
      "--conditions=react-server",
      path.join(root, "scripts/migrate.ts"),
    ],
    { cwd, env: childEnv as NodeJS.ProcessEnv, timeout: 110_000 },
  );
}

describe("npm run db:migrate on a fresh clone, without DATABASE_URL", () => {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "recipe-box-fresh-clone-"));
  beforeAll(() => cpSync(path.join(root, "drizzle"), path.join(workDir, "drizzle"), { recursive: true }));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it("creates .data/ and migrates the embedded database there", { timeout: 120_000 }, async () => {
    expect(existsSync(path.join(workDir, ".data"))).toBe(false);

    const { stdout } = await runMigrate(workDir);

    expect(stdout).toContain("Migrated the embedded database in .data/pglite.");
    expect(readdirSync(path.join(workDir, ".data/pglite"))).toContain("PG_VERSION");
    // The lock that keeps a second process out is released when the script ends.
    expect(existsSync(path.join(workDir, ".data/pglite.lock"))).toBe(false);
  });
});

describe.skipIf(!reachable)("npm run db:migrate", () => {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "recipe-box-migrate-"));
  const admin = postgres(postgresServerUrl, { max: 1, onnotice: () => {} });

  beforeAll(async () => {
    await admin.unsafe(`create database "${databaseName}"`);
    cpSync(path.join(root, "drizzle"), path.join(workDir, "drizzle"), { recursive: true });
    writeFileSync(path.join(workDir, ".env.local"), `DATABASE_URL=${databaseUrl}\n`);
  });

  afterAll(async () => {
    await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
    await admin.end();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("migrates the database that .env.local names", { timeout: 120_000 }, async () => {
    const { stdout } = await runMigrate(workDir);
    expect(stdout).toContain("Migrated DATABASE_URL.");

    const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const tables = await client<{ table_name: string }[]>`
        select table_name from information_schema.tables where table_schema = 'public'`;
      expect(tables.map((row) => row.table_name)).toEqual(expect.arrayContaining(["user", "recipes"]));
    } finally {
      await client.end();
    }
  });
});
