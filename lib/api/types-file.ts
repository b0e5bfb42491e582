import "server-only";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import { buildOpenApiDocument } from "./openapi";

/** Where `npm run api:types` writes the typed client's types (the tests call the API with them). */
export const API_TYPES_FILE = "tests/support/api/v1.d.ts";

/** The TypeScript types openapi-typescript generates from the current document. */
export async function generateApiTypes(): Promise<string> {
  // A field with a default may be left out of a request: optional in the types, as in the document.
  const ast = await openapiTS(JSON.parse(JSON.stringify(buildOpenApiDocument())), { defaultNonNullable: false });
  return `${COMMENT_HEADER}// Generated from GET /api/v1/openapi.json by \`npm run api:types\`: do not edit.\n\n${astToString(ast)}`;
}
