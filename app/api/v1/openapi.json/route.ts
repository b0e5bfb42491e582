import { buildOpenApiDocument } from "@/lib/api";
import { route } from "@/lib/http/route";

// Public: the document of /api/v1, generated from the zod schemas its routes validate with.
export const GET = route(() =>
  Response.json(buildOpenApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }),
);
