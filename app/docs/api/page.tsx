import type { Metadata } from "next";
import Link from "next/link";
import { ApiReference } from "./api-reference";

export const metadata: Metadata = { title: "API reference" };

/** /docs/api: the public API's OpenAPI document (GET /api/v1/openapi.json), rendered. */
export default function ApiDocsPage() {
  return (
    <section className="space-y-4">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Recipe Box API</h1>
        <p className="text-sm text-stone-600">
          Call it with a team&apos;s API key (made on the team&apos;s API keys page). The raw document is at{" "}
          <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>; every error type is explained on{" "}
          <Link href="/docs/api/problems">the problem types page</Link>.
        </p>
      </div>
      <ApiReference />
    </section>
  );
}
