/**
 * What Route Handlers are made of: the wrapper every one of them goes through (`route`), the
 * body readers that refuse what is too large, of the wrong type or malformed, and the error table.
 */
export { readBytes, readJson, readJsonInput, readText, withBoundedBody, isJsonContentType } from "./body";
export { errorBody, errorHeaders, statusForKind } from "./errors";
export { clientIp } from "./client-ip";
export { REQUEST_ID_HEADER, requestIdFrom } from "./request-id";
export { route, type ErrorWriter, type RouteContext, type RouteOptions } from "./route";
