"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { validatedActionWithUser } from "@/lib/actions";
import { billingErrorMessage, createBillingPortalSession, createCheckoutSession } from "@/lib/billing/checkout";
import { db } from "@/lib/db";

const noFields = z.object({});

/** Upgrade: off to Stripe Checkout. A Stripe failure comes back as a message on the page. */
export const startCheckoutAction = validatedActionWithUser(noFields, async (_, user) => {
  let url: string;
  try {
    url = await createCheckoutSession(db, user);
  } catch (error) {
    return { error: billingErrorMessage(error) };
  }
  // Outside the try: redirect() works by throwing.
  redirect(url);
});

/** Manage billing: off to Stripe's customer portal. */
export const openBillingPortalAction = validatedActionWithUser(noFields, async (_, user) => {
  let url: string;
  try {
    url = await createBillingPortalSession(db, user.id);
  } catch (error) {
    return { error: billingErrorMessage(error) };
  }
  redirect(url);
});
