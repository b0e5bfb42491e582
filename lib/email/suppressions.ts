import "server-only";
import { sql } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

const { emailSuppressions } = schema;

/** Addresses bounced or complained about (Resend's webhooks) get no more email. */
export const normalizeAddress = (address: string) => address.trim().toLowerCase();

/**
 * A new email's status as SQL, so the suppression check and the INSERT are one
 * statement: `suppressed` when the address is on the list, else `queued`.
 */
export function suppressedStatusFor(address: string) {
  const suppressed = sql`exists (select 1 from ${emailSuppressions} where ${emailSuppressions.email} = ${normalizeAddress(address)})`;
  return sql<"queued" | "suppressed">`case when ${suppressed} then 'suppressed' else 'queued' end`;
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
