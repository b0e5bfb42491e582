import { schedules } from "@trigger.dev/sdk";
import { runSweep } from "@/lib/cron";
import { db } from "@/lib/db";

/** Every 5 minutes: retries whatever background work was left behind (see lib/cron/sweep.ts). */
export const sweepTask = schedules.task({
  id: "sweep",
  cron: "*/5 * * * *",
  run: () => runSweep(db),
});
