import path from "node:path";

/** The committed migrations (drizzle/), applied by `npm run db:migrate` and by the embedded database on open. */
export const migrationsFolder = path.join(process.cwd(), "drizzle");
