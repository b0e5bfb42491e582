import { AppError, type ErrorKind } from "@/lib/core/errors";

/**
 * The one table from an error's kind to its HTTP status. Every Route Handler answers a thrown
 * `AppError` through it, so one kind of refusal has one status everywhere.
 */
export const statusForKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  stale: 412,
  "too-large": 413,
  "unsupported-type": 415,
  unprocessable: 422,
  "limit-reached": 429,
  "rate-limited": 429,
  "upstream-failed": 502,
  unavailable: 503,
  "upstream-timeout": 504,
};

/** Headers an error's answer carries: when to try again, if that is known. */
export function errorHeaders(error: AppError): Record<string, string> {
  return error.retryAfterSeconds === undefined ? {} : { "Retry-After": String(Math.max(1, error.retryAfterSeconds)) };
}

/**
 * The app's own JSON error shape (the contract's): `{ error, reason }` where `error` is the
 * message, or zod's `{ formErrors, fieldErrors }` for invalid input; plus the error's details.
 */
export function errorBody(error: AppError): Record<string, unknown> {
  const fieldErrors = error.fieldErrors ?? (error.field ? { [error.field]: [error.message] } : undefined);
  return {
    error: fieldErrors
      ? { formErrors: error.formErrors ?? (error.field ? [] : [error.message]), fieldErrors }
      : error.message,
    reason: error.reason,
    ...error.details,
  };
}
