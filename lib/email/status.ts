import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Email, EmailStatus } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { publishRealtimeEvent } from "@/lib/realtime";
import { normalizeAddress } from "./suppressions";

const { emails, user } = schema;

/** The account an address belongs to, or null: its own stream hears about the emails sent to it. */
async function recipientAccount(db: Executor, address: string): Promise<string | null> {
  const [recipient] = await db
    .select({ id: user.id })
    .from(user)
    .where(eq(user.email, normalizeAddress(address)));
  return recipient?.id ?? null;
}

/** The recipient's account: the one the caller already knows (null: none), else looked up. */
const recipientOf = (db: Executor, address: string, known: string | null | undefined) =>
  known === undefined ? recipientAccount(db, address) : known;

/**
 * Announces an email's new delivery status, inside the transaction that
 * stored it: to the recipient's own stream when they have an account, and to
 * the dev outbox's feed when the dev tools are on. The data holds ids, never the address.
 */
export async function announceEmailStatus(
  tx: Executor,
  email: Pick<Email, "id" | "to" | "template">,
  status: EmailStatus,
  /** The recipient's account when the caller has already looked it up (null: the address has none). */
  recipientId?: string | null,
): Promise<void> {
  const data = { emailId: email.id, template: email.template, status };
  const userId = await recipientOf(tx, email.to, recipientId);
  if (userId) await publishRealtimeEvent(tx, { userId }, "email.status", data);
  if (env.devToolsEnabled) await publishRealtimeEvent(tx, "dev-tools", "email.status", data);
}

/**
 * Updates one email row with its new status and announces it, in one
 * transaction. When nobody would hear it (the address has no account, as with
 * the contact form's notifications, and the dev tools are off) the update is
 * one statement, without the transaction's two extra round trips.
 */
export async function recordEmailStatus(
  database: Executor,
  email: Pick<Email, "id" | "to" | "template">,
  changes: Partial<typeof emails.$inferInsert> & { status: EmailStatus },
  /** The recipient's account when the caller already knows it (null: the address has none), e.g. from its claim. */
  knownRecipientId?: string | null,
): Promise<void> {
  const recipientId = await recipientOf(database, email.to, knownRecipientId);
  const update = (db: Executor) => db.update(emails).set(changes).where(eq(emails.id, email.id));
  if (!recipientId && !env.devToolsEnabled) {
    await update(database);
    return;
  }
  await database.transaction(async (tx) => {
    await update(tx);
    await announceEmailStatus(tx, email, changes.status, recipientId);
  });
}
