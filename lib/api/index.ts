/**
 * The public API (/api/v1): API keys owned by a team (`keys.ts`, scopes in `scopes.ts`), the route
 * shape every v1 handler has (`route.ts`: key, limits, scope, body, idempotency), RFC 9457 problem
 * details (`problem.ts`, the catalog in `problems.ts`), idempotent writes (`idempotency.ts`),
 * cursors and ETags, and the OpenAPI document generated from the same schemas (`openapi.ts`).
 */
export { apiRoute, parseInput, API_BODY_MAX_BYTES, type ApiContext } from "./route";
export {
  apiActor,
  keyActor,
  authenticateApiKey,
  createApiKey,
  listApiKeys,
  requireScope,
  revokeApiKey,
  type ApiCaller,
  type ApiKeyListing,
  type NewApiKey,
} from "./keys";
export { apiScopes, apiScopeDescriptions, type ApiScope } from "./scopes";
export { InvalidRequestError, fieldProblems, problemTypeUri, writeProblem, type FieldProblem } from "./problem";
export { problemCatalog, type ProblemSlug } from "./problems";
export { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, idempotent } from "./idempotency";
export { decodeCursor, decodeIdCursor, encodeCursor, encodeIdCursor } from "./pagination";
export { etagOf, ifMatchVersions, notModified } from "./conditional";
export { buildOpenApiDocument, API_VERSION } from "./openapi";
