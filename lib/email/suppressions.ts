import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

const { emailSuppressions } = schema;

/** Addresses bounced or complained about (Resend's webhooks) get no more email. */
export const normalizeAddress = (address: string) => address.trim().toLowerCase();

export async function isSuppressed(db: Executor, address: string) {
  const [row] = await db
    .select({ email: emailSuppressions.email })
    .from(emailSuppressions)
    .where(eq(emailSuppressions.email, normalizeAddress(address)));
  return Boolean(row);
}

export async function suppressAddress(
  db: Executor,
  address: string,
  reason: "bounced" | "complained" | "manual",
  sourceEventId: string | null,
) {
  await db
    .insert(emailSuppressions)
    .values({ email: normalizeAddress(address), reason, sourceEventId })
    .onConflictDoNothing();
}
