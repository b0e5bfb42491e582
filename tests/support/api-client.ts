import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import createClient, { type Middleware } from "openapi-fetch";
import { expect } from "vitest";
import { buildOpenApiDocument, createApiKey, type ApiScope } from "@/lib/api";
import { db } from "@/lib/db";
import type { paths } from "./api/v1";

/**
 * The public API as its users call it: through a client generated from the OpenAPI document
 * (`npm run api:types` writes tests/support/api/v1.d.ts with openapi-typescript; openapi-fetch calls
 * with those types). Requests go to the Route Handlers in this process, and every answer is checked
 * against the document: a status, a header or a body the document does not describe fails the test.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route types its own params
type RouteModule = Partial<Record<string, (req: Request, ctx: { params: Promise<any> }) => Promise<Response>>>;

/** /api/v1's routes, as Next's file-system router would match them. */
const routes: { pattern: RegExp; load: () => Promise<RouteModule> }[] = [
  { pattern: /^\/api\/v1\/openapi\.json$/, load: () => import("@/app/api/v1/openapi.json/route") },
  { pattern: /^\/api\/v1\/recipes$/, load: () => import("@/app/api/v1/recipes/route") },
  { pattern: /^\/api\/v1\/recipes\/(?<id>[^/]+)$/, load: () => import("@/app/api/v1/recipes/[id]/route") },
  { pattern: /^\/api\/v1\/webhook-endpoints$/, load: () => import("@/app/api/v1/webhook-endpoints/route") },
  {
    pattern: /^\/api\/v1\/webhook-endpoints\/(?<id>[^/]+)$/,
    load: () => import("@/app/api/v1/webhook-endpoints/[id]/route"),
  },
  {
    pattern: /^\/api\/v1\/webhook-endpoints\/(?<id>[^/]+)\/test$/,
    load: () => import("@/app/api/v1/webhook-endpoints/[id]/test/route"),
  },
  { pattern: /^\/api\/v1\/audit-events$/, load: () => import("@/app/api/v1/audit-events/route") },
  {
    pattern: /^\/api\/v1\/webhook-endpoints\/(?<id>[^/]+)\/rotate-secret$/,
    load: () => import("@/app/api/v1/webhook-endpoints/[id]/rotate-secret/route"),
  },
];

/** `fetch` that hands the request to the matching Route Handler, as Next would (405 for a method it lacks). */
export async function inProcessFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const req = input instanceof Request && !init ? input : new Request(input, init);
  const { pathname } = new URL(req.url);
  for (const { pattern, load } of routes) {
    const match = pattern.exec(pathname);
    if (!match) continue;
    const handler = (await load())[req.method];
    if (!handler) return new Response(null, { status: 405 });
    return handler(req, { params: Promise.resolve(match.groups ?? {}) });
  }
  return new Response(null, { status: 404 });
}

const document = buildOpenApiDocument() as unknown as OpenApiDocument;
type OpenApiDocument = {
  paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
  components: { schemas: Record<string, object> };
};
type OpenApiResponse = { content?: Record<string, { schema: object }>; headers?: Record<string, unknown> };

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ components: document.components }, "openapi");

/**
 * Checks an answer against the document: its status is one the operation documents, its body
 * (JSON or problem+json) matches that status's schema, and its headers include those documented.
 */
export async function expectDocumented(schemaPath: string, method: string, response: Response) {
  const operation = document.paths[schemaPath]?.[method.toLowerCase()];
  expect(operation, `${method} ${schemaPath} is in the OpenAPI document`).toBeDefined();
  const documented = operation!.responses[String(response.status)];
  expect(documented, `${method} ${schemaPath} documents status ${response.status}`).toBeDefined();
  for (const name of Object.keys(documented!.headers ?? {})) {
    // A limiter that could not be asked sends no RateLimit headers; the local ones always answer.
    expect(response.headers.has(name), `${method} ${schemaPath} ${response.status} has the ${name} header`).toBe(true);
  }
  const contentType = response.headers.get("content-type")?.split(";")[0] ?? null;
  if (!documented!.content) {
    expect(await response.clone().text(), `${method} ${schemaPath} ${response.status} has no body`).toBe("");
    return;
  }
  const media = documented!.content[contentType ?? ""];
  expect(media, `${method} ${schemaPath} ${response.status} is documented as ${contentType}`).toBeDefined();
  // Text answers (CSV) are checked by the tests that read them; the document gives them no JSON schema.
  if (!contentType?.endsWith("json")) return;
  const validate = ajv.compile(withRefsInto(media!.schema));
  const body: unknown = await response.clone().json();
  const valid = validate(body);
  expect(validate.errors ?? [], `${method} ${schemaPath} ${response.status} matches its schema`).toEqual([]);
  expect(valid).toBe(true);
}

/** The document's `#/components/...` references, pointed at the copy ajv holds. */
function withRefsInto(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));
}

const validating: Middleware = {
  async onResponse({ schemaPath, request, response }) {
    await expectDocumented(schemaPath, request.method, response);
    return response;
  },
};

/** A typed client for /api/v1 with `key`, every answer checked against the document. */
export function apiClient(key?: string) {
  const client = createClient<paths>({
    baseUrl: "http://localhost:3000/api/v1",
    fetch: (request: Request) => inProcessFetch(request),
    headers: key ? { Authorization: `Bearer ${key}` } : {},
  });
  client.use(validating);
  return client;
}

const allScopes: ApiScope[] = ["recipes:read", "recipes:write", "webhooks:write", "audit:read"];

/** A key for the team, made by `userId` (an owner or admin) as the team page makes one. */
export async function makeApiKey(
  team: { teamId: string; userId: string },
  {
    scopes = allScopes,
    name = "test key",
    expiresInDays = null,
  }: { scopes?: ApiScope[]; name?: string; expiresInDays?: number | null } = {},
) {
  return createApiKey(db, team, { name, scopes, expiresInDays });
}
