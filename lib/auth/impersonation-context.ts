import { cache } from "react";
import { currentImpersonation, noteImpersonation, type Impersonation } from "@/lib/observability/request-context";

/**
 * Whether the current request runs under an operator's impersonation (set by `getSession`, read by lib/audit's
 * `userActor`, which then names the operator as actor). Kept in two places so it holds on every path: the request's
 * log context (an AsyncLocalStorage every Node request, Route Handler and job has) and React's per-request cache
 * (pages and Server Actions, whatever the host). Imports nothing of the app, so lib/audit can read it.
 */
const perRender = cache((): { current?: Impersonation } => ({}));

export function noteRequestImpersonation(impersonation: Impersonation): void {
  noteImpersonation(impersonation);
  perRender().current = impersonation;
}

export function requestImpersonation(): Impersonation | undefined {
  return currentImpersonation() ?? perRender().current;
}
