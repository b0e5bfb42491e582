import "server-only";
import { AppError } from "@/lib/core/errors";
import { waitUntil } from "@/lib/core/timing";
import { databaseStatus, db } from "@/lib/db";
import { route, withBoundedBody, type ErrorWriter } from "@/lib/http";
import { auth } from "./config";

/**
 * How long a password-reset request takes to answer at least, here and in /forgot-password's action: a registered
 * address (a token stored) and an unknown one (nothing stored) then answer alike, in words and in time.
 */
export const PASSWORD_RESET_ANSWER_MS = 400;

/** The largest body /api/auth/* reads: its JSON bodies (email, password, name, callback) fit in a few KiB. */
export const AUTH_MAX_BODY_BYTES = 16 * 1024;

/** Better Auth's client reads `{ code, message }`: our refusals (413, 503) answer in its shape. */
const writeAuthError: ErrorWriter = (error, status) =>
  Response.json({ code: error.reason.toUpperCase().replaceAll("-", "_"), message: error.message }, { status });

/**
 * Better Auth's HTTP API, as app/api/auth/[...all] serves it, through the app's route wrapper:
 * bodies over a few KiB get 413 unread, and a failure while the database is down is a 503 that
 * says why and that a client may retry, not a 500.
 */
export const authRoute = route({ writeError: writeAuthError }, async ({ req }) => {
  const bounded = await withBoundedBody(req, AUTH_MAX_BODY_BYTES);
  const answerAt = Date.now() + PASSWORD_RESET_ANSWER_MS;
  let response: Response | undefined;
  let failure: unknown;
  try {
    response = await auth.handler(bounded);
  } catch (error) {
    failure = error;
  }
  // A registered address costs Better Auth a stored token (about 5 ms against 2 ms measured): answer both at one pace.
  if (new URL(req.url).pathname.endsWith("/request-password-reset")) await waitUntil(answerAt);
  if (response && response.status < 500) return response;
  const unavailable = await whyAuthUnavailable();
  if (unavailable)
    throw new AppError("unavailable", unavailable, { reason: "service-unavailable", retryAfterSeconds: 30 });
  // A bug: the wrapper logs it scrubbed, reports it and answers 500.
  if (failure !== undefined) throw failure;
  return response!;
});

/**
 * After an unexpected failure: what to tell the person, when the database is
 * the cause (down, or behind the code), instead of a raw query error; null when
 * it answers and is migrated, so the failure is a bug to report.
 */
export async function whyAuthUnavailable(): Promise<string | null> {
  switch (await databaseStatus(db)) {
    case "ok":
      return null;
    case "migrations-pending":
      return "Accounts are unavailable: the database is not migrated yet. Run `npm run db:migrate`, then try again.";
    case "unavailable":
      return "Sign-in is unavailable for a moment: the database did not answer. Please try again shortly.";
  }
}
