import { schedules } from "@trigger.dev/sdk";
import { reconcileSubscriptions } from "@/lib/billing";
import { db } from "@/lib/db";

/** Hourly: repairs subscriptions whose Stripe webhook never arrived (see lib/billing/reconcile.ts). */
export const reconcileSubscriptionsTask = schedules.task({
  id: "reconcile-subscriptions",
  cron: "0 * * * *",
  run: () => reconcileSubscriptions(db),
});
