import { isAuthorizedCronRequest } from "@/lib/cron";
import { logger } from "@/lib/logger";
import { requestIdFrom } from "@/lib/request-id";
import { runSweep } from "@/lib/sweep";
import { db } from "@/lib/db";

/** Vercel Cron and the Render cron job call this; Trigger.dev runs the same sweep on its own schedule. */
export async function GET(req: Request) {
  if (!isAuthorizedCronRequest(req.headers)) {
    return Response.json({ error: "Unauthorized" }, { status: 401 });
  }
  try {
    return Response.json({ ok: true, ...(await runSweep(db)) });
  } catch (error) {
    logger.error({ err: error, requestId: requestIdFrom(req.headers) }, "sweep failed");
    return Response.json({ error: "Sweep failed; it runs again on the next schedule." }, { status: 503 });
  }
}
