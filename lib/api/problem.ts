import "server-only";
import type { z } from "zod";
import { AppError, type ErrorKind } from "@/lib/core/errors";
import { env } from "@/lib/core/env";
import { statusForKind } from "@/lib/http/errors";
import { problemCatalog, type ProblemSlug } from "./problems";

/**
 * One error in a problem's `errors`: where (a JSON Pointer into the request body, RFC 6901, or the
 * query parameter or header) and what is wrong there.
 */
export type FieldProblem = { detail: string } & ({ pointer: string } | { parameter: string } | { header: string });

/** Invalid input, with where each error is: the API's 400. */
export class InvalidRequestError extends AppError {
  constructor(
    readonly errors: FieldProblem[],
    message = "The request has invalid fields: see `errors`.",
  ) {
    super("invalid", message, { reason: "invalid-request" });
    this.name = "InvalidRequestError";
  }
}

const escapePointer = (segment: PropertyKey) => String(segment).replaceAll("~", "~0").replaceAll("/", "~1");

/** zod's issues as field problems; an unknown field is named by its own pointer. */
export function fieldProblems(error: z.ZodError, root = "#"): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const at = `${root}${issue.path.map((segment) => `/${escapePointer(segment)}`).join("")}`;
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ pointer: `${at}/${escapePointer(key)}`, detail: "Unknown field." }));
    }
    return [{ pointer: at, detail: issue.message }];
  });
}

/** Which problem type an error is: one per kind, and a plan limit that no waiting lifts is 403, not 429. */
export function problemFor(error: AppError, status: number): { slug: ProblemSlug; status: number } {
  if (status === 500) return { slug: "internal-error", status };
  if (error.kind === "limit-reached" && error.retryAfterSeconds === undefined) {
    return { slug: "plan-limit-reached", status: 403 };
  }
  return { slug: slugForKind[error.kind], status: statusForKind[error.kind] };
}

const slugForKind: Record<ErrorKind, ProblemSlug> = {
  invalid: "invalid-request",
  unauthenticated: "unauthenticated",
  forbidden: "forbidden",
  "not-found": "not-found",
  conflict: "conflict",
  stale: "precondition-failed",
  "too-large": "body-too-large",
  "unsupported-type": "unsupported-media-type",
  unprocessable: "unprocessable",
  "limit-reached": "plan-limit-reached",
  "rate-limited": "rate-limited",
  unavailable: "unavailable",
  "upstream-failed": "upstream-failed",
  "upstream-timeout": "upstream-timeout",
};

/** The problem type's URI: documented at /docs/api/problems, one anchor per type. */
export const problemTypeUri = (slug: ProblemSlug) => `${env.appUrl}/docs/api/problems#${slug}`;

/**
 * An `AppError` as RFC 9457 problem details (`application/problem+json`): `type`, `title`, `status`,
 * `detail` and `instance`, plus `reason` (the stable code), `request_id`, field `errors` for invalid
 * input, and the error's details (a limit, the scope required). A 401 names the scheme to use.
 */
export function writeProblem(error: AppError, routeStatus: number, req: Request, requestId: string): Response {
  const { slug, status } = problemFor(error, routeStatus);
  const errors =
    error instanceof InvalidRequestError
      ? error.errors
      : error.kind === "invalid" && (error.field || error.fieldErrors)
        ? Object.entries(error.fieldErrors ?? { [error.field!]: [error.message] }).flatMap(([field, messages]) =>
            (messages ?? []).map((detail) => ({ pointer: `#/${escapePointer(field)}`, detail })),
          )
        : undefined;
  const body = {
    type: problemTypeUri(slug),
    title: problemCatalog[slug].title,
    status,
    detail: error.message,
    instance: new URL(req.url).pathname,
    reason: error.reason,
    request_id: requestId,
    ...(errors ? { errors } : {}),
    ...error.details,
  };
  const headers = new Headers({ "Content-Type": "application/problem+json" });
  if (status === 401) {
    const description = error.reason === "missing-api-key" ? "" : `, error="invalid_token"`;
    headers.set("WWW-Authenticate", `Bearer realm="api"${description}`);
  }
  return new Response(JSON.stringify(body), { status, headers });
}
