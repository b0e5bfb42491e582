import "server-only";
import { enforceLimits, RateLimitedError } from "./enforce";
import { CHALLENGE_PATH, spendProofOfWork } from "./challenge";
import type { RateLimiter, RateLimitResult } from "./limiter";

/** A ceiling was reached and the request carried no valid proof of work: solve a challenge and send it. */
export class ChallengeRequiredError extends RateLimitedError {
  override readonly reason: string = "challenge-required";
  override readonly details = { challenge: "altcha", challengeUrl: CHALLENGE_PATH };

  constructor(result: RateLimitResult, message: string) {
    super(result, message);
    this.name = "ChallengeRequiredError";
  }
}

/**
 * A ceiling shared by every caller (all accounts, all senders), applied with a way past it: under the
 * ceiling a request passes; over it, a request that carries a solved, unused proof of work still
 * passes, and any other is refused with `ChallengeRequiredError` (429, with the challenge's address).
 * So a flood from one anonymous client, which no per-client limit can single out without a trusted IP,
 * costs that client a proof per request instead of locking everyone else out.
 *
 *   await enforceLimits(perAccount, "Too many attempts.");   // an account's own limit: no proof lifts it
 *   await enforceCeiling([limiters.signInGlobal, "all"], "Too many attempts.", proof);
 */
export async function enforceCeiling(
  ceiling: [RateLimiter, string],
  message: string,
  proof: string | null | undefined,
  report?: Headers,
): Promise<void> {
  try {
    await enforceLimits([ceiling], message, report);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    if (await spendProofOfWork(proof)) return;
    throw new ChallengeRequiredError(
      error.result,
      `${message} Many requests are arriving at once: your browser needs to prove it is not a robot first.`,
    );
  }
}
