import "server-only";
import { AppError } from "@/lib/core/errors";
import { db, type Executor } from "@/lib/db";
import { route } from "@/lib/http";
import { isAuthorizedCronRequest } from "./authorize";

/** Only the scheduler (Vercel Cron, the Render cron job) holds CRON_SECRET; everyone else gets 401. */
async function scheduler(req: Request): Promise<void> {
  if (!isAuthorizedCronRequest(req.headers))
    throw new AppError("unauthenticated", "Unauthorized", { reason: "cron-secret-required" });
}

/**
 * The one shape of the /api/cron/* routes: `Authorization: Bearer $CRON_SECRET` (else 401), then
 * the job, whose counts are the answer. A route file is one line:
 * `export const GET = cronRoute(runSweep)`.
 */
export function cronRoute(job: (db: Executor) => Promise<object>) {
  return route({ authenticate: scheduler }, async () => ({ ok: true, ...(await job(db)) }));
}
