import "server-only";
import { AppError, isAppError } from "@/lib/core/errors";
import { logger } from "@/lib/core/logger";
import {
  databaseStatus,
  db,
  isDatabaseError,
  isDatabaseUnreachable,
  isMissingSchemaObject,
  MIGRATIONS_PENDING_HINT,
} from "@/lib/db";
import { currentRequestId, runWithRequestContext } from "@/lib/observability/request-context";
import { reportRequestError } from "@/lib/observability/sentry";
import { errorBody, errorHeaders, statusForKind } from "./errors";
import { REQUEST_ID_HEADER, requestIdFrom } from "./request-id";

/** A dynamic segment's values, as Next hands them to a Route Handler (`{ params: Promise<…> }`). */
type Params = Record<string, string | string[] | undefined>;

export type RouteContext<Caller, P extends Params = Params> = {
  req: Request;
  /** The request's id (the caller's `x-request-id` if it is safe, else a new one): in every answer and log line. */
  requestId: string;
  /** Who is calling, as `authenticate` found them (a session, an API key); undefined for public routes. */
  caller: Caller;
  params: P;
  /** Added to the answer, an error's too: e.g. the rate-limit headers a route computed before refusing. */
  headers: Headers;
};

/** How a route writes a thrown `AppError`: the app's `{ error }` JSON, or another format (the public API's). */
export type ErrorWriter = (error: AppError, status: number, req: Request, requestId: string) => Response;

export type RouteOptions<Caller> = {
  /** Finds the caller, or throws `AppError("unauthenticated")`. Runs before the handler. */
  authenticate?: (req: Request) => Promise<Caller>;
  /** What the 503 says when the database does not answer. */
  unavailable?: string;
  writeError?: ErrorWriter;
};

/** A Route Handler answers a `Response`, or a value that becomes JSON (status 200). */
type RouteResult = Response | Record<string, unknown> | unknown[];

type Handler<Caller, P extends Params> = (context: RouteContext<Caller, P>) => Promise<RouteResult> | RouteResult;

type NextRouteHandler<P extends Params> = (req: Request, segment?: { params: Promise<P> }) => Promise<Response>;

const writeJsonError: ErrorWriter = (error, status) => Response.json(errorBody(error), { status });

/**
 * The one shape of every Route Handler under app/api: the request id, the caller (when the route
 * needs one), then the handler, which parses its input (lib/http/body.ts), calls one lib function
 * and returns its result. What the handler throws is answered in one place:
 *
 * - an `AppError` becomes its kind's status (lib/http/errors.ts) with the app's `{ error, reason }`;
 * - work the database did not do (unreachable, not migrated, a statement refused) becomes 503 with
 *   Retry-After, so clients retry;
 * - anything else is a bug: logged scrubbed, reported to Sentry, answered 500 with the request id
 *   (and never printed by Next with its query parameters).
 *
 *   export const POST = route({ authenticate: signedIn("Sign in to upload photos.") }, async ({ req, caller }) =>
 *     requestPhotoUpload(db, caller.user.id, await readJsonInput(req, uploadRequest, UPLOAD_BODY_MAX_BYTES)));
 */
export function route<P extends Params = Params>(handler: Handler<undefined, P>): NextRouteHandler<P>;
export function route<Caller, P extends Params = Params>(
  options: RouteOptions<Caller>,
  handler: Handler<Caller, P>,
): NextRouteHandler<P>;
export function route<Caller, P extends Params>(
  optionsOrHandler: RouteOptions<Caller> | Handler<Caller, P>,
  maybeHandler?: Handler<Caller, P>,
): NextRouteHandler<P> {
  const options = typeof optionsOrHandler === "function" ? {} : optionsOrHandler;
  const handler = typeof optionsOrHandler === "function" ? optionsOrHandler : maybeHandler!;
  const writeError = options.writeError ?? writeJsonError;

  return async (req, segment) => {
    const requestId = requestIdFrom(req.headers);
    const headers = new Headers({ [REQUEST_ID_HEADER]: requestId });
    let response: Response;
    try {
      const caller = (options.authenticate ? await options.authenticate(req) : undefined) as Caller;
      const params = ((await segment?.params) ?? {}) as P;
      // The id current for everything the handler does (logs, jobs, audit events); the server's request
      // hook made it current already where it runs (`next start`), with the same id.
      const run = () => handler({ req, requestId, caller, params, headers });
      const result = await (currentRequestId() === requestId ? run() : runWithRequestContext({ requestId }, run));
      response = result instanceof Response ? result : Response.json(result);
    } catch (error) {
      const { refusal, status } = isAppError(error)
        ? { refusal: error, status: statusForKind[error.kind] }
        : await outageOrBug(error, req, requestId, options.unavailable);
      response = writeError(refusal, status, req, requestId);
      for (const [name, value] of Object.entries(errorHeaders(refusal))) headers.set(name, value);
    }
    return withHeaders(response, headers);
  };
}

/**
 * What an unexpected error means for the client. The database failed the work (unreachable, or a
 * statement refused): 503 with Retry-After, since trying again later may succeed, naming the fix when
 * the database is behind the code's migrations. Anything else is a bug of ours: 500. Both are logged
 * scrubbed; all but an unreachable database are reported to Sentry.
 */
async function outageOrBug(error: unknown, req: Request, requestId: string, unavailable?: string) {
  const unreachable = isDatabaseUnreachable(error);
  if (unreachable || isDatabaseError(error)) {
    const migrationsPending = isMissingSchemaObject(error) && (await databaseStatus(db)) === "migrations-pending";
    logger.error({ err: error, requestId }, "request failed: the database did not do the work");
    if (!unreachable && !migrationsPending) await reportRequestError(error, req, requestId);
    const message = migrationsPending
      ? MIGRATIONS_PENDING_HINT
      : (unavailable ?? "This service is unavailable for a moment. Please try again shortly.");
    const reason = migrationsPending ? "database-migrations-pending" : "database-unavailable";
    return { refusal: new AppError("unavailable", message, { reason, retryAfterSeconds: 30 }), status: 503 };
  }
  logger.error({ err: error, requestId }, "request failed");
  await reportRequestError(error, req, requestId);
  // The answer names the request id, which the log line and the Sentry event carry too.
  const message = `Something went wrong on our side. If it keeps happening, quote request id ${requestId}.`;
  return { refusal: new AppError("unavailable", message, { reason: "internal-error" }), status: 500 };
}

function withHeaders(response: Response, headers: Headers): Response {
  try {
    for (const [name, value] of headers) if (!response.headers.has(name)) response.headers.set(name, value);
    return response;
  } catch {
    // Some responses (Response.redirect) have immutable headers: copy them into a new one.
    const merged = new Headers(response.headers);
    for (const [name, value] of headers) if (!merged.has(name)) merged.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers: merged });
  }
}
