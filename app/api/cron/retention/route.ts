import { isAuthorizedCronRequest } from "@/lib/cron";
import { db } from "@/lib/db";
import { logger } from "@/lib/logger";
import { requestIdFrom } from "@/lib/request-id";
import { applyRetention, RETENTION_BUDGET_MS } from "@/lib/retention";

/** Vercel Cron and the Render cron job call this hourly; Trigger.dev runs the same job on its own schedule. */
export async function GET(req: Request) {
  if (!isAuthorizedCronRequest(req.headers)) {
    return Response.json({ error: "Unauthorized" }, { status: 401 });
  }
  try {
    return Response.json({ ok: true, ...(await applyRetention(db, { deadline: Date.now() + RETENTION_BUDGET_MS })) });
  } catch (error) {
    logger.error({ err: error, requestId: requestIdFrom(req.headers) }, "retention failed");
    return Response.json({ error: "Retention failed; it runs again on the next schedule." }, { status: 503 });
  }
}
