import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { adminUrl, databaseName, TEST_DATABASE_SUFFIX } from "./postgres-url";

declare module "vitest" {
  export interface ProvidedContext {
    /** A dump of a migrated embedded database, which every test file's in-memory PGlite starts from. */
    pgliteSnapshot?: string;
  }
}

/**
 * With DATABASE_URL the suite runs on real Postgres: that database is migrated
 * once here and becomes the template every test file clones (tests/support/database.ts).
 * Without it every test file gets its own in-memory PGlite, started from a dump
 * of one migrated here: the same idea, since creating a PGlite cluster takes seconds.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log("[tests] database: embedded PGlite (in memory, one per test file, from one migrated dump)");
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "recipe-box-tests-"));
    const snapshot = path.join(dir, "pglite.tar");
    const client = new PGlite("memory://");
    try {
      await migratePglite(drizzlePglite({ client }), { migrationsFolder: "drizzle" });
      await fs.writeFile(snapshot, Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer()));
    } finally {
      await client.close();
    }
    project.provide("pgliteSnapshot", snapshot);
    return () => fs.rm(dir, { recursive: true, force: true });
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
