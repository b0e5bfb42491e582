/**
 * Rate limits, keyed on what a client cannot forge (an account's email, a sender's address, a
 * global ceiling, the client IP only as TRUST_PROXY says): `limiters` are the app's rules,
 * `enforceLimits` applies them (throwing a `rate-limited` AppError), `rateLimitHeaders` reports them,
 * and `enforceCeiling` applies a shared ceiling that a solved proof of work gets past (`challenge.ts`).
 */
export {
  createRateLimiter,
  deleteEndedRateLimitWindows,
  limitAll,
  type RateLimiter,
  type RateLimitResult,
  type RateLimiterOptions,
} from "./limiter";
export { apiLimiters, emailKey, limiters, PROOF_OF_WORK_SECONDS, type RateLimiterName } from "./rules";
export { enforceLimits, rateLimitHeaders, RateLimitedError } from "./enforce";
export { ChallengeRequiredError, enforceCeiling } from "./ceiling";
export { CHALLENGE_PATH, createProofOfWorkChallenge, PROOF_OF_WORK_HEADER, spendProofOfWork } from "./challenge";
