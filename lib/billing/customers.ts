import "server-only";
import { and, eq, isNull, like, or } from "drizzle-orm";
import type Stripe from "stripe";
import { schema, type Executor } from "@/lib/db";

const { organization } = schema;

/** Customer ids the dev simulator (/dev/stripe) makes up; Stripe has never heard of them. */
export const SIMULATED_CUSTOMER_PREFIX = "cus_sim";

/** Who pays: the team, and the owner whose address Stripe's receipts and our billing emails go to. */
export type BillingTeam = { id: string; name: string; billingEmail: string };

export async function storedCustomerId(db: Executor, teamId: string): Promise<string | null> {
  const [row] = await db
    .select({ customerId: organization.stripeCustomerId })
    .from(organization)
    .where(eq(organization.id, teamId));
  return row?.customerId ?? null;
}

/**
 * The team's Stripe customer: the stored one, or a new one stored for next
 * time. A simulated id is replaced, so trying /dev/stripe first never breaks a
 * real Checkout later.
 */
export async function ensureStripeCustomer(db: Executor, client: Stripe, team: BillingTeam): Promise<string> {
  const stored = await storedCustomerId(db, team.id);
  if (stored && !stored.startsWith(SIMULATED_CUSTOMER_PREFIX)) return stored;

  // The key makes two clicks (or two tabs) one customer: Stripe answers the second create with the first one's result.
  const customer = await client.customers.create(
    { email: team.billingEmail, name: team.name, metadata: { organizationId: team.id } },
    { idempotencyKey: `customer-${team.id}` },
  );
  await db
    .update(organization)
    .set({ stripeCustomerId: customer.id })
    .where(
      and(
        eq(organization.id, team.id),
        or(isNull(organization.stripeCustomerId), like(organization.stripeCustomerId, `${SIMULATED_CUSTOMER_PREFIX}%`)),
      ),
    );
  // Whoever stored a real customer first wins; with the idempotency key it is the same one anyway.
  return (await storedCustomerId(db, team.id)) ?? customer.id;
}
