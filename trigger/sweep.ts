import { schedules } from "@trigger.dev/sdk";
import { jobs } from "@/lib/jobs/registry";

/** Every 5 minutes: retries whatever background work was left behind (see lib/jobs/sweep.ts). */
export const sweepTask = schedules.task({
  id: "sweep",
  cron: "*/5 * * * *",
  run: () => jobs.sweep(),
});
