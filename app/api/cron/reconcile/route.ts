import { reconcileSubscriptions } from "@/lib/billing";
import { cronRoute } from "@/lib/cron";

/** Vercel Cron calls this hourly; Trigger.dev runs the same reconciliation on its own schedule. */
export const GET = cronRoute(async (db) => ({ subscriptions: await reconcileSubscriptions(db) }));
