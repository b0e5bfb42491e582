import "server-only";
import { and, eq, isNull, like, or } from "drizzle-orm";
import type Stripe from "stripe";
import { schema, type Executor } from "@/lib/db";

const { user } = schema;

/** Customer ids the dev simulator (/dev/stripe) makes up; Stripe has never heard of them. */
export const SIMULATED_CUSTOMER_PREFIX = "cus_sim";

export type BillingUser = { id: string; email: string; name: string };

export async function storedCustomerId(db: Executor, userId: string): Promise<string | null> {
  const [row] = await db.select({ customerId: user.stripeCustomerId }).from(user).where(eq(user.id, userId));
  return row?.customerId ?? null;
}

/**
 * The user's Stripe customer: the stored one, or a new one stored for next
 * time. A simulated id is replaced, so trying /dev/stripe first never breaks a
 * real Checkout later.
 */
export async function ensureStripeCustomer(db: Executor, client: Stripe, account: BillingUser): Promise<string> {
  const stored = await storedCustomerId(db, account.id);
  if (stored && !stored.startsWith(SIMULATED_CUSTOMER_PREFIX)) return stored;

  // The key makes two clicks (or two tabs) one customer: Stripe answers the second create with the first one's result.
  const customer = await client.customers.create(
    { email: account.email, name: account.name, metadata: { userId: account.id } },
    { idempotencyKey: `customer-${account.id}` },
  );
  await db
    .update(user)
    .set({ stripeCustomerId: customer.id })
    .where(
      and(
        eq(user.id, account.id),
        or(isNull(user.stripeCustomerId), like(user.stripeCustomerId, `${SIMULATED_CUSTOMER_PREFIX}%`)),
      ),
    );
  // Whoever stored a real customer first wins; with the idempotency key it is the same one anyway.
  return (await storedCustomerId(db, account.id)) ?? customer.id;
}
