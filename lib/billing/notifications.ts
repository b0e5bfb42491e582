import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { schema, type AfterCommit, type Executor } from "@/lib/db";
import { normalizeAddress, sendEmail } from "@/lib/email";
import { env } from "@/lib/core/env";
import { findTeamIdForCustomer, idOf } from "./subscriptions";

const { emails, member, organization, user } = schema;

/** 1234 "usd" → "$12.34"; Intl knows which currencies have no minor unit (e.g. JPY). */
export function formatAmount(minorUnits: number, currency: string): string {
  const format = new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

export type PaymentFailedNotice = "queued" | "already-sent" | "not-our-customer";

/**
 * Emails the customer that a payment failed, once per invoice. Stripe sends a
 * new `invoice.payment_failed` event (new event id) for every retry of the same
 * invoice, and a redelivery or replay runs the handler again, so the key is the
 * invoice id, stored in the email's props (the template ignores it).
 */
export async function notifyPaymentFailed(
  tx: Executor,
  invoice: Stripe.Invoice,
  context: { afterCommit: AfterCommit },
): Promise<PaymentFailedNotice> {
  if (!invoice.customer) return "not-our-customer";
  const teamId = await findTeamIdForCustomer(
    tx,
    idOf(invoice.customer),
    invoice.parent?.subscription_details?.metadata ?? {},
  );
  if (!teamId) return "not-our-customer";

  // Lock the team's row: two events for one invoice processed at once queue here, so the second sees the first one's email.
  const [team] = await tx
    .select({ slug: organization.slug })
    .from(organization)
    .where(eq(organization.id, teamId))
    .for("update");
  // Billing is the owner's: the notice goes to the team's first owner.
  const [owner] = await tx
    .select({ email: user.email, name: user.name })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(and(eq(member.organizationId, teamId), eq(member.role, "owner")))
    .orderBy(member.createdAt)
    .limit(1);
  if (!team || !owner) return "not-our-customer";
  const to = normalizeAddress(owner.email);
  const [earlier] = await tx
    .select({ id: emails.id })
    .from(emails)
    .where(
      and(
        eq(emails.to, to),
        eq(emails.template, "payment-failed"),
        sql`${emails.props} ->> 'invoiceId' = ${invoice.id}`,
      ),
    )
    .limit(1);
  if (earlier) return "already-sent";

  const props = {
    name: owner.name,
    amount: formatAmount(invoice.amount_due, invoice.currency),
    billingUrl: `${env.appUrl}/t/${team.slug}/billing`,
    invoiceId: invoice.id,
  };
  // Through the handler's transaction: the email row commits (or rolls back) with the event, and its job starts after the commit.
  await sendEmail(tx, { to, template: "payment-failed", props }, { afterCommit: context.afterCommit });
  return "queued";
}
