import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";

/**
 * What the log knows about the request (or job) in progress. It lives in an
 * AsyncLocalStorage, so every log line written while handling a request gets
 * its id without anyone passing it along, and jobs run inside the id of the
 * request that queued them. Imports nothing of the app, so the logger can depend on it.
 */
export type RequestContext = {
  requestId: string;
  /** Set once the session is known: the per-request line names the user. */
  userId?: string;
  /** Set when that session is an operator's impersonation of the user (lib/admin): the audit log names the operator. */
  impersonation?: Impersonation;
};

/** An operator (`operatorId`) acting as `userId` through an impersonation session. */
export type Impersonation = { operatorId: string; userId: string };

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Runs `work` (a job, a test) as part of the request with this id. */
export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/**
 * Makes `context` current for the rest of this synchronous call and all the
 * async work it starts: the HTTP server's "request started" hook uses it,
 * since Node calls the request handler right after that hook returns.
 */
export function enterRequestContext(context: RequestContext): void {
  storage.enterWith(context);
}

/** Records who is signed in, for the request's log line. */
export function noteRequestUser(userId: string): void {
  const context = storage.getStore();
  if (context) context.userId = userId;
}

/** Records that the request's session is an operator's impersonation of its user. */
export function noteImpersonation(impersonation: Impersonation): void {
  const context = storage.getStore();
  if (context) context.impersonation = impersonation;
}

/** The impersonation the current request runs under, if any. */
export function currentImpersonation(): Impersonation | undefined {
  return storage.getStore()?.impersonation;
}

/**
 * pino's `mixin`: adds the current request's id to a line, unless the line or
 * its child logger already names one. The bindings are checked as the JSON
 * text pino keeps them (cheaper than `bindings()`, which parses it).
 */
export function requestIdMixin(fields: object, _level: number, self: object): { requestId?: string } {
  const requestId = storage.getStore()?.requestId;
  if (!requestId || "requestId" in fields) return {};
  const bindings = (self as Record<symbol, string | undefined>)[pino.symbols.chindingsSym] ?? "";
  return bindings.includes('"requestId"') ? {} : { requestId };
}
