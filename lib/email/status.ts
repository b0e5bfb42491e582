import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Email, EmailStatus } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { publishRealtimeEvent } from "@/lib/realtime";

const { emails, user } = schema;

/**
 * Announces an email's new delivery status, inside the transaction that
 * stored it: to the recipient's own stream when they have an account, and to
 * the dev outbox's feed when the dev tools are on. The data holds ids, never the address.
 */
export async function announceEmailStatus(
  tx: Executor,
  email: Pick<Email, "id" | "to" | "template">,
  status: EmailStatus,
): Promise<void> {
  const data = { emailId: email.id, template: email.template, status };
  const [recipient] = await tx.select({ id: user.id }).from(user).where(eq(user.email, email.to.trim().toLowerCase()));
  if (recipient) await publishRealtimeEvent(tx, { userId: recipient.id }, "email.status", data);
  if (env.devToolsEnabled) await publishRealtimeEvent(tx, "dev-tools", "email.status", data);
}

/** Updates one email row with its new status and announces it, in one transaction. */
export async function recordEmailStatus(
  database: Executor,
  email: Pick<Email, "id" | "to" | "template">,
  changes: Partial<typeof emails.$inferInsert> & { status: EmailStatus },
): Promise<void> {
  await database.transaction(async (tx) => {
    await tx.update(emails).set(changes).where(eq(emails.id, email.id));
    await announceEmailStatus(tx, email, changes.status);
  });
}
