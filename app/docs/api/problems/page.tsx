import type { Metadata } from "next";
import { problemCatalog, type ProblemSlug } from "@/lib/api/problems";

export const metadata: Metadata = { title: "API problem types" };

/**
 * /docs/api/problems: what each problem type the API answers with means; each error's `type` URI
 * points at its anchor here.
 */
export default function ProblemTypesPage() {
  const slugs = Object.keys(problemCatalog) as ProblemSlug[];
  return (
    <section className="max-w-3xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">API problem types</h1>
        <p className="text-sm text-stone-600">
          Every error from <code>/api/v1</code> is <code>application/problem+json</code> (RFC 9457) whose{" "}
          <code>type</code> is one of these. <code>reason</code> narrows it down; <code>request_id</code> identifies the
          request in our logs.
        </p>
      </div>
      <dl className="space-y-5">
        {slugs.map((slug) => (
          <div key={slug} id={slug} className="scroll-mt-20 space-y-1">
            <dt className="font-semibold">
              <code>{slug}</code> · {problemCatalog[slug].status} · {problemCatalog[slug].title}
            </dt>
            <dd className="text-sm text-stone-700">{problemCatalog[slug].description}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
