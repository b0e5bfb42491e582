import "server-only";
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { env } from "@/lib/core/env";
import { problemCatalog, type ProblemSlug } from "./problems";
import { auditEventList, auditQuery } from "./audit";
import { pageQuery, recipeCreate, recipeIdParams, recipeJson, recipeList, recipePatch } from "./recipes";
import { apiScopeDescriptions, apiScopes, type ApiScope } from "./scopes";
import {
  TEST_EVENT_TYPE,
  testData,
  webhookEventCatalog,
  webhookEventTypes,
  webhookPayloadSchema,
} from "@/lib/webhooks-out/catalog";
import {
  webhookEndpointCreate,
  webhookEndpointIdParams,
  webhookEndpointList,
  webhookEndpointUpdate,
  webhookEndpointView,
  webhookEndpointWithSecret,
  webhookTestAnswer,
  webhookTestRequest,
} from "@/lib/webhooks-out/schema";

// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes validate with:
// a field added to a schema is in the document, so the two cannot drift. Served at
// GET /api/v1/openapi.json, rendered at /docs/api, and the tests' typed client is generated from it.

export const API_VERSION = "1.0.0";

const fieldProblem = z.union([
  z.object({
    pointer: z.string().meta({ description: "A JSON Pointer into the request body, e.g. `#/title`." }),
    detail: z.string(),
  }),
  z.object({ parameter: z.string().meta({ description: "A path or query parameter." }), detail: z.string() }),
  z.object({ header: z.string(), detail: z.string() }),
]);

export const problemJson = z
  .looseObject({
    type: z.url().meta({ description: "The problem type: documented at /docs/api/problems, one anchor per type." }),
    title: z.string(),
    status: z.int(),
    detail: z.string().meta({ description: "What went wrong with this request, for a person to read." }),
    instance: z.string().meta({ description: "The request's path." }),
    reason: z
      .string()
      .meta({ description: "A stable code for this refusal (`recipe-limit-reached`, `insufficient-scope`)." }),
    request_id: z.string().meta({ description: "The request's id, also in the `x-request-id` header and our logs." }),
    errors: z.array(fieldProblem).optional().meta({ description: "For 400: each invalid field, parameter or header." }),
  })
  .meta({
    id: "Problem",
    description:
      "RFC 9457 problem details, as `application/problem+json`. More members may be present (`limit`, `required_scope`).",
    example: {
      type: `${env.appUrl}/docs/api/problems#invalid-request`,
      title: "The request is not valid",
      status: 400,
      detail: "The request has invalid fields: see `errors`.",
      instance: "/api/v1/recipes",
      reason: "invalid-request",
      request_id: "8b1f0c5e2d7a4c39",
      errors: [{ pointer: "#/title", detail: "Give the recipe a title (at least 2 characters)." }],
    },
  });

const rateLimitHeaders = {
  RateLimit: z.string().meta({
    description: 'The policy closest to its limit, its remaining requests and seconds to reset: `"key";r=598;t=42`.',
  }),
  "RateLimit-Policy": z.string().meta({ description: 'Both limits: `"key";q=600;w=60, "team";q=1200;w=60`.' }),
};

const problem = (...slugs: ProblemSlug[]) => ({
  description: slugs.map((slug) => `\`${slug}\`: ${problemCatalog[slug].title}.`).join(" "),
  content: { "application/problem+json": { schema: problemJson } },
});

/** The answers every operation may give, besides its own. */
const commonProblems: ZodOpenApiResponsesObject = {
  "401": {
    ...problem("unauthenticated"),
    headers: z.object({
      "WWW-Authenticate": z.string().meta({ example: 'Bearer realm="api", error="invalid_token"' }),
    }),
  },
  "403": problem("forbidden", "plan-limit-reached"),
  "429": {
    ...problem("rate-limited"),
    headers: z.object({ ...rateLimitHeaders, "Retry-After": z.string().meta({ description: "Seconds to wait." }) }),
  },
  "500": problem("internal-error"),
  "503": { ...problem("unavailable"), headers: z.object({ "Retry-After": z.string() }) },
};

const idempotencyHeader = z.object({
  "Idempotency-Key": z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({
      description:
        "Makes the write safe to retry: the same key with the same body in the next 24 hours gets the first answer again " +
        "(with `Idempotent-Replayed: true`); with another body, 422; while the first is still running, 409.",
      example: "9b2d7e4a-1f55-4c0e-b8a6-0d3c1e2f4a57",
    }),
});

const ifMatchHeader = z.object({
  "If-Match": z.string().optional().meta({
    description: "The `ETag` you read: the write happens only if the recipe is still at that version (else 412).",
    example: '"v3"',
  }),
});

const writeProblems: ZodOpenApiResponsesObject = {
  "400": problem("invalid-request"),
  "409": { ...problem("conflict"), headers: z.object({ "Retry-After": z.string() }) },
  "413": problem("body-too-large"),
  "415": problem("unsupported-media-type"),
  "422": problem("unprocessable"),
};

/** An operation, with its scope in the description and the security requirement, and the common problems. */
function operation(scope: ApiScope, op: ZodOpenApiOperationObject): ZodOpenApiOperationObject {
  return {
    ...op,
    description: `${op.description ?? ""}\n\nNeeds the \`${scope}\` scope.`.trim(),
    security: [{ apiKey: [] }],
    responses: { ...commonProblems, ...op.responses },
  };
}

const recipeHeaders = z.object({
  ETag: z
    .string()
    .meta({ description: 'The recipe\'s version, `"v<version>"`: send it as `If-Match` to change it safely.' }),
  ...rateLimitHeaders,
});

const endpointAnswer = (description: string, schema: z.ZodType = webhookEndpointView) => ({
  description,
  headers: z.object(rateLimitHeaders),
  content: { "application/json": { schema } },
});

/** The outbound webhooks' management: the same lib/webhooks-out functions as the team's Webhooks page. */
const webhookEndpointPaths = {
  "/webhook-endpoints": {
    get: operation("webhooks:write", {
      operationId: "listWebhookEndpoints",
      summary: "List the team's webhook endpoints",
      description: "Oldest first (a team has at most 20). Secrets are never listed.",
      responses: { "200": endpointAnswer("The endpoints.", webhookEndpointList) },
    }),
    post: operation("webhooks:write", {
      operationId: "createWebhookEndpoint",
      summary: "Add a webhook endpoint",
      description:
        "The answer holds the endpoint's signing secret (`whsec_…`): the only time it is shown. Receivers verify every " +
        "delivery with it (Standard Webhooks). Where private addresses are not allowed, a URL plainly inside a network is 400.",
      requestParams: { header: idempotencyHeader },
      requestBody: { required: true, content: { "application/json": { schema: webhookEndpointCreate } } },
      responses: {
        "201": {
          ...endpointAnswer("Added, with its secret.", webhookEndpointWithSecret),
          headers: z.object({
            Location: z.string().meta({ description: "The new endpoint's path." }),
            ...rateLimitHeaders,
          }),
        },
        ...writeProblems,
      },
    }),
  },
  "/webhook-endpoints/{id}": {
    get: operation("webhooks:write", {
      operationId: "getWebhookEndpoint",
      summary: "Get a webhook endpoint",
      requestParams: { path: webhookEndpointIdParams },
      responses: {
        "200": endpointAnswer("The endpoint."),
        "400": problem("invalid-request"),
        "404": problem("not-found"),
      },
    }),
    patch: operation("webhooks:write", {
      operationId: "updateWebhookEndpoint",
      summary: "Change a webhook endpoint, or turn it off or on",
      requestParams: { path: webhookEndpointIdParams, header: idempotencyHeader },
      requestBody: { required: true, content: { "application/json": { schema: webhookEndpointUpdate } } },
      responses: { "200": endpointAnswer("The changed endpoint."), ...writeProblems, "404": problem("not-found") },
    }),
    delete: operation("webhooks:write", {
      operationId: "deleteWebhookEndpoint",
      summary: "Delete a webhook endpoint",
      description: "Its delivery history goes with it.",
      requestParams: { path: webhookEndpointIdParams, header: idempotencyHeader },
      responses: {
        "204": { description: "Deleted.", headers: z.object(rateLimitHeaders) },
        "400": problem("invalid-request"),
        "404": problem("not-found"),
        "409": writeProblems["409"]!,
        "422": problem("unprocessable"),
      },
    }),
  },
  "/webhook-endpoints/{id}/test": {
    post: operation("webhooks:write", {
      operationId: "sendWebhookTestEvent",
      summary: "Send a test event to a webhook endpoint",
      description:
        `To this endpoint only (even one that is off): \`${TEST_EVENT_TYPE}\`, or the chosen type's sample. ` +
        "Delivered in the background, like any event.",
      requestParams: { path: webhookEndpointIdParams, header: idempotencyHeader },
      requestBody: { required: false, content: { "application/json": { schema: webhookTestRequest } } },
      responses: {
        "202": endpointAnswer("Queued.", webhookTestAnswer),
        ...writeProblems,
        "404": problem("not-found"),
      },
    }),
  },
  "/webhook-endpoints/{id}/rotate-secret": {
    post: operation("webhooks:write", {
      operationId: "rotateWebhookEndpointSecret",
      summary: "Rotate a webhook endpoint's signing secret",
      description:
        "The answer holds the new secret (shown this once). For 24 hours every delivery is signed with both the new and " +
        "the previous secret, so a receiver holding either accepts it while it switches.",
      requestParams: { path: webhookEndpointIdParams, header: idempotencyHeader },
      responses: {
        "200": endpointAnswer("The endpoint, with its new secret.", webhookEndpointWithSecret),
        "400": problem("invalid-request"),
        "404": problem("not-found"),
        "409": writeProblems["409"]!,
        "422": problem("unprocessable"),
      },
    }),
  },
};

const webhookHeaders = z.object({
  "webhook-id": z.string().meta({ description: "The message's id: the same on every retry. Dedupe on it." }),
  "webhook-timestamp": z.string().meta({ description: "This try's time, in Unix seconds." }),
  "webhook-signature": z.string().meta({
    description: "`v1,<base64 HMAC-SHA256 of id.timestamp.body>`; two, separated by a space, during a secret rotation.",
  }),
});

/** What the app sends to endpoints: one entry per event type (OpenAPI 3.1 `webhooks`). */
function webhookEvents() {
  const event = (name: string, description: string, schema: z.ZodType) => ({
    post: {
      operationId: `webhook_${name.replace(/\W/g, "_")}`,
      summary: name,
      description: `${description} Signed as Standard Webhooks specify; answer 2xx within 15 s, or it is retried.`,
      requestParams: { header: webhookHeaders },
      requestBody: { required: true, content: { "application/json": { schema } } },
      responses: { "2XX": { description: "Received." }, "410": { description: "Turns the endpoint off." } },
    },
  });
  return {
    ...Object.fromEntries(
      webhookEventTypes.map((type) => [
        type,
        event(type, webhookEventCatalog[type].description, webhookPayloadSchema(type)),
      ]),
    ),
    [TEST_EVENT_TYPE]: event(
      TEST_EVENT_TYPE,
      "Sent by “Send test event”.",
      z.object({ type: z.literal(TEST_EVENT_TYPE), timestamp: z.iso.datetime({ offset: true }), data: testData }),
    ),
  };
}

export function buildOpenApiDocument() {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Recipe Box API",
      version: API_VERSION,
      description:
        "The public API of a team's recipe box. Authenticate with a team's API key (`Authorization: Bearer rb_…`), made " +
        "on the team's API keys page. Errors are RFC 9457 problem details; writes accept an `Idempotency-Key`. " +
        "Every answer carries `RateLimit` and `RateLimit-Policy` headers. Guide: docs/api.md.",
    },
    servers: [{ url: `${env.appUrl}/api/v1` }],
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description:
            "A team's API key. Scopes: " +
            apiScopes.map((scope) => `\`${scope}\` (${apiScopeDescriptions[scope]})`).join(", "),
        },
      },
    },
    webhooks: webhookEvents(),
    paths: {
      "/recipes": {
        get: operation("recipes:read", {
          operationId: "listRecipes",
          summary: "List the team's recipes",
          description: "Newest first, a page at a time. Recipes added while you page through never appear twice.",
          requestParams: { query: pageQuery },
          responses: {
            "200": {
              description: "A page of recipes.",
              headers: z.object(rateLimitHeaders),
              content: { "application/json": { schema: recipeList } },
            },
            "400": problem("invalid-request"),
          },
        }),
        post: operation("recipes:write", {
          operationId: "createRecipe",
          summary: "Create a recipe",
          description: "The team's plan limit applies as on the team's page (403 `plan-limit-reached`).",
          requestParams: { header: idempotencyHeader },
          requestBody: { required: true, content: { "application/json": { schema: recipeCreate } } },
          responses: {
            "201": {
              description: "Created.",
              headers: z.object({
                Location: z
                  .string()
                  .meta({ description: "The new recipe's path.", example: "/api/v1/recipes/0f3c9c1e-…" }),
                ...recipeHeaders.shape,
              }),
              content: { "application/json": { schema: recipeJson } },
            },
            ...writeProblems,
          },
        }),
      },
      "/recipes/{id}": {
        get: operation("recipes:read", {
          operationId: "getRecipe",
          summary: "Get a recipe",
          requestParams: {
            path: recipeIdParams,
            header: z.object({
              "If-None-Match": z.string().optional().meta({ description: "An ETag you hold: 304 if current." }),
            }),
          },
          responses: {
            "200": {
              description: "The recipe.",
              headers: recipeHeaders,
              content: { "application/json": { schema: recipeJson } },
            },
            "304": { description: "Your copy (If-None-Match) is current.", headers: recipeHeaders },
            "400": problem("invalid-request"),
            "404": problem("not-found"),
          },
        }),
        patch: operation("recipes:write", {
          operationId: "updateRecipe",
          summary: "Change a recipe, or publish it",
          description:
            "Send only the fields to change. `published: true` needs the key's maker to have confirmed their email address (403).",
          requestParams: { path: recipeIdParams, header: idempotencyHeader.extend(ifMatchHeader.shape) },
          requestBody: { required: true, content: { "application/json": { schema: recipePatch } } },
          responses: {
            "200": {
              description: "The changed recipe.",
              headers: recipeHeaders,
              content: { "application/json": { schema: recipeJson } },
            },
            ...writeProblems,
            "404": problem("not-found"),
            "412": problem("precondition-failed"),
          },
        }),
        delete: operation("recipes:write", {
          operationId: "deleteRecipe",
          summary: "Delete a recipe",
          requestParams: { path: recipeIdParams, header: idempotencyHeader.extend(ifMatchHeader.shape) },
          responses: {
            "204": { description: "Deleted.", headers: z.object(rateLimitHeaders) },
            "400": problem("invalid-request"),
            "404": problem("not-found"),
            "409": writeProblems["409"]!,
            "412": problem("precondition-failed"),
            "422": problem("unprocessable"),
          },
        }),
      },
      ...webhookEndpointPaths,
      "/audit-events": {
        get: operation("audit:read", {
          operationId: "listAuditEvents",
          summary: "List the team's audit log",
          description:
            "Who did what, when and from where: newest first, a page at a time, filtered by actor, action and time. " +
            "With `Accept: text/csv` the same page comes as CSV (one row per event, `metadata` as JSON), and the next " +
            "page's address is in the `Link` header (`rel=\"next\"`). Each event carries the hash of the team's previous " +
            "event and its own (docs/audit.md).",
          requestParams: {
            query: auditQuery,
            header: z.object({
              Accept: z.string().optional().meta({ description: "`text/csv` for CSV; JSON otherwise." }),
            }),
          },
          responses: {
            "200": {
              description: "A page of events.",
              headers: z.object(rateLimitHeaders),
              content: {
                "application/json": { schema: auditEventList },
                "text/csv": {
                  schema: z.string().meta({
                    description:
                      "A header row (id, occurred_at, action, actor_type, actor_id, actor_label, target_type, target_id, ip, " +
                      "user_agent, request_id, metadata, prev_hash, hash), then one row per event.",
                  }),
                },
              },
            },
            "400": problem("invalid-request"),
          },
        }),
      },
    },
  });
}
