import { tasks } from "@trigger.dev/sdk";
import { reportJobFailure } from "@/lib/jobs";

// Trigger.dev loads trigger/init.ts in every worker: a run that has failed all its attempts is reported to Sentry.
tasks.onFailure(({ task, payload, error, ctx }) => reportJobFailure(task, payload, error, ctx.run.id));
