import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { schema } from "@/lib/db";

const { emails, user } = schema;

/**
 * The account an email belongs to, as SQL over a row of `emails`: the account whose address it was
 * sent to, if that address was confirmed when it was sent (`user.email_verified_at`, kept by a trigger).
 * Anyone can sign up with any address without confirming it (the operator's CONTACT_TO included), and an
 * address may have received mail before its account existed: such emails are nobody's, so they appear
 * in no export and on no stream.
 */
export const emailOwnerId = sql<string | null>`(select ${user.id} from ${user} where ${and(
  eq(user.email, emails.to),
  eq(user.emailVerified, true),
  sql`${user.emailVerifiedAt} <= ${emails.createdAt}`,
)})`;
