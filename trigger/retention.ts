import { schedules } from "@trigger.dev/sdk";
import { db } from "@/lib/db";
import { applyRetention, RETENTION_BUDGET_MS } from "@/lib/cron";

/** Hourly: deletes personal data past its retention days (see lib/cron/retention.ts). */
export const retentionTask = schedules.task({
  id: "retention",
  cron: "15 * * * *",
  run: () => applyRetention(db, { deadline: Date.now() + RETENTION_BUDGET_MS }),
});
