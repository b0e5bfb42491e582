import { z } from "zod";

/**
 * The one error convention of lib/: a refusal or failure the caller can act on is thrown as an
 * `AppError` (or a feature's subclass of it) with a `kind` that says what went wrong in words a
 * caller understands, a `reason` code that says which refusal it was, and a message written for a
 * person. lib/ never speaks HTTP: Route Handlers map the kind to a status in one table
 * (lib/http/errors.ts), Server Actions to a form message (lib/actions). Anything else that is thrown
 * is a bug or an outage, and stays an ordinary error.
 *
 *   throw new AppError("not-found", "That recipe does not exist or is not yours.", { reason: "recipe-not-found" });
 */
export const errorKinds = [
  /** The input is wrong: field errors say where. */
  "invalid",
  /** Nobody is signed in, or the credentials are not valid. */
  "unauthenticated",
  /** Signed in, but not allowed to do this (a role, an unconfirmed address, a wrong password). */
  "forbidden",
  /** No such thing, or it is not the caller's: the two look the same. */
  "not-found",
  /** The request clashes with the current state (already done, in progress). */
  "conflict",
  /** The caller's copy is out of date (a stale version). */
  "stale",
  /** The body is larger than the endpoint reads. */
  "too-large",
  /** The body, or the file, is of a type the endpoint does not take. */
  "unsupported-type",
  /** Well-formed, but its content cannot be used (a stored file that is not the image it claimed). */
  "unprocessable",
  /** A plan's limit or quota is reached: upgrade, remove something, or wait for it to reset. */
  "limit-reached",
  /** Too many requests in a short window: retry after `retryAfterSeconds`. */
  "rate-limited",
  /** A service this depends on (the database, a bucket, a provider) is not reachable: retry later. */
  "unavailable",
  /** An outside service answered with a failure. */
  "upstream-failed",
  /** An outside service did not answer in time. */
  "upstream-timeout",
] as const;

export type ErrorKind = (typeof errorKinds)[number];

export type AppErrorOptions = {
  /** A stable code for this refusal (`recipe-not-found`, `wrong-password`): what callers and tests branch on. */
  reason?: string;
  /** The form field the message belongs to, when there is one. */
  field?: string;
  /** Errors for a whole form (kind `invalid`), as zod's `flattenError` gives them. */
  fieldErrors?: Record<string, string[] | undefined>;
  formErrors?: string[];
  /** When trying again may succeed (rate limits, quotas that reset, outages). */
  retryAfterSeconds?: number;
  /** A plan limit that upgrading lifts: forms offer the way to /pricing. */
  upgrade?: boolean;
  /** Facts a client may use (a quota, a limit), sent along with the error by Route Handlers. Never a secret. */
  details?: Record<string, string | number | boolean | null>;
  cause?: unknown;
};

// Next may load lib/ once per bundle (Route Handlers, Server Actions): the brand, unlike `instanceof`, holds across copies.
const APP_ERROR = Symbol.for("recipe-box.AppError");

export class AppError extends Error {
  readonly [APP_ERROR] = true;
  readonly reason: string;
  readonly field?: string;
  readonly fieldErrors?: Record<string, string[] | undefined>;
  readonly formErrors?: string[];
  readonly retryAfterSeconds?: number;
  readonly upgrade: boolean;
  readonly details?: Record<string, string | number | boolean | null>;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.reason = options.reason ?? kind;
    this.field = options.field;
    this.fieldErrors = options.fieldErrors;
    this.formErrors = options.formErrors;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.upgrade = options.upgrade ?? false;
    this.details = options.details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return typeof error === "object" && error !== null && APP_ERROR in error;
}

/** Input that failed its zod schema, as an `invalid` error with zod's form and field errors. */
export function invalidInput(error: z.ZodError, message = "Please correct the highlighted fields."): AppError {
  const { formErrors, fieldErrors } = z.flattenError(error);
  return new AppError("invalid", message, { reason: "invalid-input", formErrors, fieldErrors });
}
