import "./load-env";
import fs from "node:fs/promises";
import { API_TYPES_FILE, generateApiTypes } from "@/lib/api/types-file";

// Writes the public API's client types from its OpenAPI document (openapi-typescript). The test
// lib/api/openapi.test.ts fails when this file is behind the document: run `npm run api:types`.
await fs.writeFile(API_TYPES_FILE, await generateApiTypes());
console.log(`wrote ${API_TYPES_FILE}`);
