import "server-only";
import { schema, type Executor } from "@/lib/db";
import { sendEmail } from "@/lib/email";
import { env } from "@/lib/core/env";
import { logger } from "@/lib/core/logger";
import type { ContactInput } from "./schema";

/**
 * Stores the message (the 200 the visitor gets means it is saved), then
 * queues the notification to CONTACT_TO through the email pipeline.
 */
export async function submitContactMessage(
  db: Executor,
  input: ContactInput,
  meta: { ip?: string; requestId: string },
) {
  const [message] = await db
    .insert(schema.contactMessages)
    .values({ ...input, ip: meta.ip ?? null, requestId: meta.requestId })
    .returning({ id: schema.contactMessages.id });
  try {
    await sendEmail(db, {
      to: env.contactTo,
      template: "contact-notification",
      props: input,
      requestId: meta.requestId,
    });
  } catch (error) {
    // The message is safe in contact_messages; only the notification is missing.
    logger.error(
      { err: error, requestId: meta.requestId, contactMessageId: message!.id },
      "contact notification not queued",
    );
  }
  return { id: message!.id };
}
