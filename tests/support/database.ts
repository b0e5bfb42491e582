import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import postgres from "postgres";
import { beforeAll, beforeEach, inject } from "vitest";
import { adminUrl, databaseName, TEST_DATABASE_SUFFIX, withDatabase } from "./postgres-url";

/**
 * Runs before each test file. On Postgres the file gets its own database,
 * cloned from the migrated template in one statement, so files running in
 * parallel never see each other's rows (a sweeper in one file must not pick up
 * another file's work). On PGlite each file has its own in-memory database,
 * loaded from the migrated dump global-setup made, and opened before the
 * file's first test: a test's timeout then counts its own work, never the
 * database starting up on a busy machine.
 */
const url = process.env.DATABASE_URL;
if (!url) {
  let dump: Blob | undefined;
  const openFromDump = async () => {
    // Imported here, after the test file registered its mocks, so the file and this hook share one module.
    const { replaceDatabaseConnection } = await import("@/lib/db/client");
    const { createEmbeddedDatabase } = await import("@/lib/db/embedded");
    const snapshot = inject("pgliteSnapshot");
    if (snapshot) dump ??= new Blob([await fs.readFile(snapshot)]);
    const embedded = createEmbeddedDatabase("memory://", { loadDataDir: dump });
    replaceDatabaseConnection(embedded);
    await embedded.ready;
  };
  beforeAll(openFromDump, 120_000);
  // A test that closed the database (to try a broken one) leaves none open: the next test gets a fresh one here,
  // not from its first query.
  beforeEach(async () => {
    const { databaseConnectionOpen } = await import("@/lib/db/client");
    if (!databaseConnectionOpen()) await openFromDump();
  }, 120_000);
}
if (url) {
  const clone = `${databaseName(url)}${TEST_DATABASE_SUFFIX}${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl(url), { max: 1, onnotice: () => {} });
  try {
    // Cloning needs the template to be idle; another file's clone may be in progress, so retry briefly.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.unsafe(`create database "${clone}" template "${databaseName(url)}"`);
        break;
      } catch (error) {
        if (attempt >= 20 || !String(error).includes("being accessed by other users")) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
  process.env.DATABASE_URL = withDatabase(url, clone);
}
