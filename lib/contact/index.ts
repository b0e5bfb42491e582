import "server-only";
import { db as appDb, schema, type Database } from "@/lib/db";
import { sendEmail } from "@/lib/email";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import type { ContactInput } from "./schema";

/**
 * Stores the message (the 200 the visitor gets means it is saved), then
 * queues the notification to CONTACT_TO through the email pipeline.
 */
export async function submitContactMessage(
  input: ContactInput,
  meta: { ip?: string; requestId: string },
  db: Database = appDb,
) {
  const [message] = await db
    .insert(schema.contactMessages)
    .values({ ...input, ip: meta.ip ?? null, requestId: meta.requestId })
    .returning({ id: schema.contactMessages.id });
  try {
    await sendEmail(
      { to: env.contactTo, template: "contact-notification", props: input, requestId: meta.requestId },
      db,
    );
  } catch (error) {
    // The message is safe in contact_messages; only the notification is missing.
    logger.error(
      { err: error, requestId: meta.requestId, contactMessageId: message!.id },
      "contact notification not queued",
    );
  }
  return { id: message!.id };
}
