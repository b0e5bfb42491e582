"use server";

import { redirect } from "next/navigation";
import { validatedActionWithUser } from "@/lib/actions";
import { createBillingPortalSession, createCheckoutSession } from "@/lib/billing";
import { db } from "@/lib/db";
import { teamRef } from "@/lib/teams/schema";

/** Upgrade the team: off to Stripe Checkout, a seat per member. A Stripe failure (a BillingError) shows on the page. */
export const startCheckoutAction = validatedActionWithUser(teamRef, async ({ teamId }, user) => {
  redirect(await createCheckoutSession(db, { teamId, buyer: user }));
});

/** Manage the team's billing: off to Stripe's customer portal. */
export const openBillingPortalAction = validatedActionWithUser(teamRef, async ({ teamId }, user) => {
  redirect(await createBillingPortalSession(db, { teamId, userId: user.id }));
});
