import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { adminUrl, databaseName, TEST_DATABASE_SUFFIX, withDatabase } from "./postgres-url";

/**
 * Runs before each test file. On Postgres the file gets its own database,
 * cloned from the migrated template in one statement, so files running in
 * parallel never see each other's rows (a sweeper in one file must not pick up
 * another file's work). PGlite files are isolated already: each has its own in memory.
 */
const url = process.env.DATABASE_URL;
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
