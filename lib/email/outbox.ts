import "server-only";
import { desc } from "drizzle-orm";
import { db, schema } from "@/lib/db";

/** The newest emails, whatever their transport: what /dev/emails shows. */
export function listRecentEmails(limit = 50) {
  return db.select().from(schema.emails).orderBy(desc(schema.emails.createdAt)).limit(limit);
}

export function listSuppressions(limit = 50) {
  return db.select().from(schema.emailSuppressions).orderBy(desc(schema.emailSuppressions.createdAt)).limit(limit);
}
