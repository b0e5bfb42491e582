import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Email, EmailStatus } from "@/lib/db/schema";
import { publishRealtimeEvent } from "@/lib/realtime";
import { emailOwnerId } from "./owner";

const { emails } = schema;

/** The account the email belongs to (`emailOwnerId`), or null: its own stream hears about it. */
async function ownerOf(db: Executor, emailId: string): Promise<string | null> {
  const [row] = await db.select({ ownerId: emailOwnerId }).from(emails).where(eq(emails.id, emailId));
  return row?.ownerId ?? null;
}

/** The email's owner: the one the caller already knows (null: none), else looked up. */
const recipientOf = (db: Executor, emailId: string, known: string | null | undefined) =>
  known === undefined ? ownerOf(db, emailId) : known;

/**
 * Announces an email's new delivery status, inside the transaction that
 * stored it, to its owner's stream (the account that had confirmed the address
 * when it was sent), if any. The data holds ids, never the address.
 */
export async function announceEmailStatus(
  tx: Executor,
  email: Pick<Email, "id" | "to" | "template">,
  status: EmailStatus,
  /** The recipient's account when the caller has already looked it up (null: the address has none). */
  recipientId?: string | null,
): Promise<void> {
  const data = { emailId: email.id, template: email.template, status };
  const userId = await recipientOf(tx, email.id, recipientId);
  if (userId) await publishRealtimeEvent(tx, { userId }, "email.status", data);
}

/**
 * Updates one email row with its new status and announces it, in one
 * transaction. When nobody would hear it (the email has no owner, as with the
 * contact form's notifications) the update is one statement, without the
 * transaction's two extra round trips.
 */
export async function recordEmailStatus(
  database: Executor,
  email: Pick<Email, "id" | "to" | "template">,
  changes: Partial<typeof emails.$inferInsert> & { status: EmailStatus },
  /** The recipient's account when the caller already knows it (null: the address has none), e.g. from its claim. */
  knownRecipientId?: string | null,
): Promise<void> {
  const recipientId = await recipientOf(database, email.id, knownRecipientId);
  const update = (db: Executor) => db.update(emails).set(changes).where(eq(emails.id, email.id));
  if (!recipientId) {
    await update(database);
    return;
  }
  await database.transaction(async (tx) => {
    await update(tx);
    await announceEmailStatus(tx, email, changes.status, recipientId);
  });
}
