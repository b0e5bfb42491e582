import "server-only";
import { APIError } from "better-auth/api";
import { clientIp } from "@/lib/http/client-ip";
import {
  ChallengeRequiredError,
  emailKey,
  enforceCeiling,
  enforceLimits,
  limiters,
  PROOF_OF_WORK_HEADER,
  RateLimitedError,
  type RateLimiter,
} from "@/lib/ratelimit";

/** Requests that name an account by email: password guessing, sign-up and email floods. */
export const ACCOUNT_PATHS = new Set([
  "/sign-in/email",
  "/sign-up/email",
  "/sign-in/magic-link",
  "/request-password-reset",
  "/send-verification-email",
]);

/** Of those, the ones that send an email: they share a ceiling of their own, apart from password sign-in's. */
const EMAIL_SENDING_PATHS = new Set([
  "/sign-up/email",
  "/sign-in/magic-link",
  "/request-password-reset",
  "/send-verification-email",
]);

/** Endpoints that check the signed-in user's password (our Server Actions reach them through auth.api). */
export const PASSWORD_CHECK_PATHS = new Set(["/change-password", "/verify-password"]);

/**
 * A request to `path` that names an account: one limit per email address and one per client IP when
 * TRUST_PROXY says how to find it (no proof of work lifts those), then the ceiling for all accounts
 * together: sign-in's own, or the one of the requests that send email, so that flooding the one never
 * refuses the other. Past a ceiling, a solved proof of work (the `X-Altcha` header) still gets through.
 * Counts the same whether the request comes through our Server Actions or straight to /api/auth.
 * Throws Better Auth's 429; `CHALLENGE_REQUIRED` says that a proof would get it through.
 */
export async function limitAccountAttempt(path: string, email: unknown, headers: Headers): Promise<void> {
  const ip = clientIp(headers);
  const perClient: [RateLimiter, string][] = [];
  if (typeof email === "string") perClient.push([limiters.auth, emailKey(email)]);
  if (ip) perClient.push([limiters.auth, `ip:${ip}`]);
  const ceiling = EMAIL_SENDING_PATHS.has(path) ? limiters.authEmailGlobal : limiters.signInGlobal;
  await asAuthError(async () => {
    if (perClient.length) await enforceLimits(perClient, "Too many attempts.");
    await enforceCeiling([ceiling, "all"], "Too many attempts.", headers.get(PROOF_OF_WORK_HEADER));
  });
}

/**
 * Every password typed for an account counts against the one per-account limit that sign-in attempts
 * use (its address), whichever path checks it: sign-in, Better Auth's /change-password and
 * /verify-password, and /account's deletion. So a stolen session cannot guess the password through a
 * path sign-in's limit does not see. Throws a `rate-limited` AppError.
 */
export async function limitPasswordCheck(user: { email: string }): Promise<void> {
  await enforceLimits([[limiters.auth, emailKey(user.email)]], "Too many attempts.");
}

/** The same, as Better Auth's hooks throw it (429 with Better Auth's `TOO_MANY_REQUESTS`). */
export async function limitPasswordCheckInAuth(user: { email: string }): Promise<void> {
  await asAuthError(() => limitPasswordCheck(user));
}

/** The request's headers with the proof of work a form's widget solved, for the auth.api call it makes. */
export function withProofOfWork(headers: Headers, proof: string | undefined): Headers {
  const copy = new Headers(headers);
  if (proof) copy.set(PROOF_OF_WORK_HEADER, proof);
  return copy;
}

/** Our limits' refusals in Better Auth's shape (`{ code, message }` and Retry-After), for its hooks. */
async function asAuthError(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    const retryAfter = { "Retry-After": String(error.retryAfterSeconds ?? 60) };
    if (error instanceof ChallengeRequiredError)
      throw new APIError(
        "TOO_MANY_REQUESTS",
        { code: "CHALLENGE_REQUIRED", message: error.message, ...error.details },
        retryAfter,
      );
    throw new APIError("TOO_MANY_REQUESTS", { message: error.message }, retryAfter);
  }
}
