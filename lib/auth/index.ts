/**
 * Accounts and sessions (Better Auth). `config.ts` is the Better Auth instance and its hooks;
 * `session.ts` how the app reads the session (`getSession`, `requireUser`, `signedIn` for routes);
 * `handler.ts` the /api/auth Route Handler; `limits.ts`, `callbacks.ts` and `emails.ts` what the
 * hooks do; `schema.ts` the sign-in forms (client components import it directly); `verified-email.ts`
 * what waits for a confirmed address.
 */
export { auth, configuredOAuthProviders } from "./config";
export { anyone, getSession, requireUser, signedIn, type Session, type SessionUser } from "./session";
export { AUTH_MAX_BODY_BYTES, authRoute, PASSWORD_RESET_ANSWER_MS, whyAuthUnavailable } from "./handler";
export { limitPasswordCheck, withProofOfWork } from "./limits";
export { EmailNotVerifiedError, requireVerifiedEmail } from "./verified-email";
