import type { Metadata } from "next";
import Link from "next/link";
import { requireDevTools } from "@/lib/dev-tools";
import { devTools } from "./tools";

export const metadata: Metadata = { title: "Developer tools", robots: { index: false } };

/** The index of the developer tools. */
export default function DevToolsPage() {
  requireDevTools();
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Developer tools</h1>
      <ul className="grid gap-4 sm:grid-cols-3">
        {devTools.map((tool) => (
          <li key={tool.href} className="rounded-lg border border-stone-200 bg-white p-4">
            <Link href={tool.href} className="font-medium text-emerald-800 underline">
              {tool.title}
            </Link>
            <p className="mt-1 text-sm text-stone-600">{tool.text}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
