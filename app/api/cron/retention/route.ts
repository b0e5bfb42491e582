import { applyRetention, cronRoute, RETENTION_BUDGET_MS } from "@/lib/cron";

/** Vercel Cron and the Render cron job call this hourly; Trigger.dev runs the same job on its own schedule. */
export const GET = cronRoute((db) => applyRetention(db, { deadline: Date.now() + RETENTION_BUDGET_MS }));
