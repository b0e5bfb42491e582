/**
 * Every problem type the public API answers with (RFC 9457): the last part of its `type` URI, its
 * status and title, and what a client should do. /docs/api/problems renders this list, and the
 * OpenAPI document's error responses name these types.
 */
export const problemCatalog = {
  "invalid-request": {
    status: 400,
    title: "The request is not valid",
    description:
      "A field is missing, malformed or unknown (unknown fields are refused, not ignored), or a header is. " +
      "`errors` lists each one as a JSON Pointer into the body and what is wrong there. Fix the request; do not retry it unchanged.",
  },
  unauthenticated: {
    status: 401,
    title: "No valid API key",
    description:
      "The `Authorization: Bearer <key>` header is missing, or the key is unknown, revoked, expired, or its maker is no " +
      "longer an owner or admin of the team. `reason` says which. Make a new key on the team's API keys page.",
  },
  forbidden: {
    status: 403,
    title: "Not allowed",
    description:
      "The key lacks the scope this operation needs (`reason: insufficient-scope`, `required_scope` names it), or the " +
      "operation needs something the key's maker does not have (a confirmed email address to publish).",
  },
  "plan-limit-reached": {
    status: 403,
    title: "The team's plan limit is reached",
    description:
      "The team's plan holds no more of this (/pricing lists each plan's limits). Nothing was stored. " +
      "Upgrade the team on its billing page, " +
      "or delete something first; retrying unchanged fails the same way. `limit` gives the plan's limit.",
  },
  "not-found": {
    status: 404,
    title: "Not found",
    description: "No such resource in the key's team. Another team's ids are not found either: they look the same.",
  },
  conflict: {
    status: 409,
    title: "Conflict",
    description:
      "A request with the same `Idempotency-Key` is still being processed. Retry after `Retry-After` seconds: you will get its answer.",
  },
  "precondition-failed": {
    status: 412,
    title: "The resource has changed",
    description:
      "`If-Match` named a version that is no longer current: someone changed the resource since you read it. " +
      "Nothing was changed. GET it again (for its new `ETag`), reapply your change, and send it with the new ETag.",
  },
  "body-too-large": {
    status: 413,
    title: "The body is too large",
    description: "The request body is larger than the API reads (64 KiB). Nothing was read past the limit.",
  },
  "unsupported-media-type": {
    status: 415,
    title: "Send JSON",
    description: "Request bodies are `application/json`.",
  },
  unprocessable: {
    status: 422,
    title: "Idempotency key reused",
    description:
      "This `Idempotency-Key` was used in the last 24 hours for a different request (another method, path or body). " +
      "Use a new key for a new request.",
  },
  "rate-limited": {
    status: 429,
    title: "Too many requests",
    description:
      "The key, or the team's keys together, made too many requests this minute. Wait `Retry-After` seconds. " +
      "Every answer's `RateLimit` and `RateLimit-Policy` headers say how much is left.",
  },
  "internal-error": {
    status: 500,
    title: "Something went wrong on our side",
    description:
      "A bug of ours: it was logged and reported. `request_id` identifies it; quote it if it keeps happening.",
  },
  "upstream-failed": {
    status: 502,
    title: "A service we depend on failed",
    description: "An outside service answered with an error. Retry later.",
  },
  unavailable: {
    status: 503,
    title: "Unavailable for a moment",
    description:
      "The database or another service is not reachable. Retry after `Retry-After` seconds; nothing was changed.",
  },
  "upstream-timeout": {
    status: 504,
    title: "A service we depend on did not answer",
    description: "An outside service did not answer in time. Retry later.",
  },
} as const satisfies Record<string, { status: number; title: string; description: string }>;

export type ProblemSlug = keyof typeof problemCatalog;
