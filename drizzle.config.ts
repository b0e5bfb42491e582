import { defineConfig } from "drizzle-kit";

// drizzle-kit generate needs no database; migrate/studio use DATABASE_URL
// (the embedded PGlite is migrated automatically by the app itself).
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema.ts",
  out: "./drizzle",
  dbCredentials: { url: process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres" },
  strict: true,
  verbose: true,
});
