import { schemaTask } from "@trigger.dev/sdk";
import { syncSeatsJob } from "@/lib/teams/seats";

/**
 * Sets a team's Pro subscription's seats to its member count after a membership change. Stripe
 * being down makes it throw, and Trigger.dev retries; the sweeper also picks up any team whose
 * change Stripe has not heard of.
 */
export const syncSeatsTask = schemaTask({
  id: syncSeatsJob.name,
  schema: syncSeatsJob.schema,
  maxDuration: 60,
  retry: { maxAttempts: 5, minTimeoutInMs: 2_000, maxTimeoutInMs: 60_000, factor: 2 },
  run: (payload) => syncSeatsJob.run(payload),
});
