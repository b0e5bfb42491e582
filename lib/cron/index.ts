/**
 * Scheduled work: what Vercel Cron, the Render cron job and Trigger.dev schedules run. `sweep.ts`
 * retries what background jobs left (webhook events, emails, uploads, AI calls), `retention.ts`
 * deletes what is past its days, `authorize.ts` checks the scheduler's secret and `route.ts` is the
 * shape of every /api/cron/* route.
 */
export { isAuthorizedCronRequest } from "./authorize";
export { cronRoute } from "./route";
export { runSweep, SWEEP_BUDGET_MS, type SweepResult } from "./sweep";
export {
  applyRetention,
  OUTBOUND_WEBHOOK_RETENTION_DAYS,
  RETENTION_BUDGET_MS,
  WEBHOOK_DEDUPE_DAYS,
  type RetentionResult,
} from "./retention";
