import "server-only";
import pino, { type LoggerOptions } from "pino";
import { env } from "@/lib/core/env";
import { requestIdMixin } from "@/lib/observability/request-context";

/**
 * Structured JSON logs (one object per line), so a host's log search can filter
 * by `requestId`, `eventId` or `jobId`. Use `logger.child({ requestId })` to
 * carry a request's id into everything it causes.
 *
 * Logs carry ids, types and reasons, never bodies, query parameters, tokens or
 * email addresses: errors keep only their type, code and a scrubbed message
 * (`safeError`), and fields that hold such data are censored by name.
 */
export const loggerOptions: LoggerOptions = {
  level: env.LOG_LEVEL ?? (env.isTest ? "silent" : "info"),
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  serializers: { err: safeError, error: safeError },
  redact: {
    paths: [
      "email",
      "to",
      "body",
      "rawBody",
      "payload",
      "props",
      "params",
      "token",
      "url",
      "password",
      "*.email",
      "*.to",
      "*.body",
      "*.payload",
      "*.props",
      "*.token",
      "*.url",
      "*.password",
      "headers.cookie",
      "headers.authorization",
    ],
    censor: "[redacted]",
  },
  // Every line written while a request (or a job it queued) runs carries its id.
  mixin: requestIdMixin,
};

export const logger = pino(loggerOptions);

export type Logger = typeof logger;

type SafeError = { type: string; message: string; code?: string; stack?: string; cause?: SafeError };

/**
 * An error as the log may show it. Drizzle puts a failed query's parameters in
 * its message, Stripe a rejected webhook's whole payload on the error, Postgres
 * the offending values in `detail`: keep the type, code and scrubbed message
 * and stack, and drop every other property.
 */
export function safeError(error: unknown, depth = 0): SafeError {
  if (!(error instanceof Error)) return { type: typeof error, message: scrub(String(error)) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.constructor?.name ?? error.name,
    message: scrub(error.message),
    ...(typeof code === "string" || typeof code === "number" ? { code: String(code) } : {}),
    ...(error.stack ? { stack: scrub(error.stack) } : {}),
    ...(error.cause !== undefined && depth < 3 ? { cause: safeError(error.cause, depth + 1) } : {}),
  };
}

/** Removes what a message may quote from a request: query parameters, email addresses, tokens in links. */
export function scrub(text: string): string {
  return text
    .replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/g, "\nparams: [redacted]")
    .replace(/[^\s"'<>(),;:]+@[^\s"'<>(),;:]+\.[a-z]{2,}/gi, "[email]")
    .replace(/([?&](?:token|code|callbackURL|signature)=)[^&\s"']+/gi, "$1[redacted]");
}

/**
 * An error as Next may print it: Next writes errors it catches itself (a page that failed to render,
 * a Server Action outside our wrapper) with `console.error`, which shows the error's message, stack and
 * every own property, a failed query's `params` included. This copy keeps the name, the scrubbed
 * message and stack, Next's `digest` and the cause, and nothing else.
 */
export function printableError(error: Error, depth = 0): Error {
  const copy = new Error(scrub(error.message));
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : scrub(error.stack);
  const digest = (error as { digest?: unknown }).digest;
  if (typeof digest === "string") Object.assign(copy, { digest });
  if (error.cause instanceof Error && depth < 3) copy.cause = printableError(error.cause, depth + 1);
  return copy;
}

/**
 * Makes the console print what the log would: errors as `printableError`, text scrubbed. Called once
 * at server start (lib/core/startup.ts), so Next's own printing of the errors it catches cannot put a
 * query's parameters, an address or a token in the server's output.
 */
export function scrubConsole(target: Pick<Console, "error" | "warn"> = console): void {
  for (const level of ["error", "warn"] as const) {
    const print = target[level].bind(target);
    target[level] = (...args: unknown[]) =>
      print(
        ...args.map((arg) => (arg instanceof Error ? printableError(arg) : typeof arg === "string" ? scrub(arg) : arg)),
      );
  }
}
