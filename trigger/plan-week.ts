import { schemaTask } from "@trigger.dev/sdk";
import { planWeekJob } from "@/lib/ai/week-plan";

/**
 * Drafts a reserved week plan. A model failure is recorded on the
 * ai_generations row (and announced); only a throw (e.g. the database is
 * down) makes Trigger.dev retry, and a retry of a finished plan does nothing.
 * A payload that fails the job's schema fails the run without a retry.
 */
export const planWeekTask = schemaTask({
  id: planWeekJob.name,
  schema: planWeekJob.schema,
  // Seconds: the model call's timeout (AI_TIMEOUT_MS, 60 s by default, retries included) plus the database work.
  maxDuration: 120,
  run: (payload) => planWeekJob.run(payload),
});
