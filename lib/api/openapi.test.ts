import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument, problemCatalog } from "@/lib/api";
import { API_TYPES_FILE, generateApiTypes } from "./types-file";

describe("the OpenAPI document", () => {
  it("matches the typed client the tests call the API with (run `npm run api:types` after changing a schema)", async () => {
    expect(await fs.readFile(API_TYPES_FILE, "utf8")).toBe(await generateApiTypes());
  });

  it("documents a problem response for every error status an operation can give, and only known problem types", () => {
    const document = buildOpenApiDocument() as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string; content?: object }> }>>;
    };
    const statuses = new Set(Object.values(problemCatalog).map((problem) => String(problem.status)));
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const status of ["401", "403", "429", "500", "503"]) {
          expect(operation.responses[status], `${method} ${path} documents ${status}`).toBeDefined();
        }
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400) continue;
          expect(statuses.has(status), `${method} ${path} ${status} is a catalogued problem status`).toBe(true);
          expect(response.content).toHaveProperty(["application/problem+json"]);
        }
      }
    }
  });
});
