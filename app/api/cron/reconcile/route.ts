import { reconcileSubscriptions } from "@/lib/billing/reconcile";
import { isAuthorizedCronRequest } from "@/lib/cron";
import { logger } from "@/lib/logger";
import { requestIdFrom } from "@/lib/request-id";
import { db } from "@/lib/db";

/** Vercel Cron calls this hourly; Trigger.dev runs the same reconciliation on its own schedule. */
export async function GET(req: Request) {
  if (!isAuthorizedCronRequest(req.headers)) {
    return Response.json({ error: "Unauthorized" }, { status: 401 });
  }
  try {
    return Response.json({ ok: true, subscriptions: await reconcileSubscriptions(db) });
  } catch (error) {
    logger.error({ err: error, requestId: requestIdFrom(req.headers) }, "subscription reconciliation failed");
    return Response.json({ error: "Reconciliation failed; it runs again on the next schedule." }, { status: 503 });
  }
}
