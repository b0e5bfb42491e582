/**
 * AI through the AI SDK: recipe drafts streamed to the form (`draft.ts`), "Plan my week" as a
 * background job (`week-plan.ts`), daily quotas per plan (`quota.ts`), the configured model or the
 * offline one (`model.ts`, `offline-model.ts`), and failures mapped to messages (`errors.ts`).
 * `schema.ts` holds the request and output schemas (client components import it directly).
 */
export { draftRecipe, type DraftRecipeInput, type DraftRecipeStream, type ModelChoice } from "./draft";
export { AiFailedError, describeAiFailure } from "./errors";
export { aiModel, aiModelName, isAiProviderConfigured } from "./model";
export { AiQuotaExceededError, getAiUsage, getAiUsageByKind, releaseAbandonedGenerations, type AiUsage } from "./quota";
export { getLatestWeekPlan, planWeekJob, requestWeekPlan, type WeekPlanView } from "./week-plan";
