import "server-only";
import { desc } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

/** The newest emails, whatever their transport: what /dev/emails shows. */
export function listRecentEmails(db: Executor, limit = 50) {
  return db.select().from(schema.emails).orderBy(desc(schema.emails.createdAt)).limit(limit);
}

export function listSuppressions(db: Executor, limit = 50) {
  return db.select().from(schema.emailSuppressions).orderBy(desc(schema.emailSuppressions.createdAt)).limit(limit);
}
