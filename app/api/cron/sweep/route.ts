import { cronRoute, runSweep } from "@/lib/cron";

/** Vercel Cron and the Render cron job call this; Trigger.dev runs the same sweep on its own schedule. */
export const GET = cronRoute(runSweep);
