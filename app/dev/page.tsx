import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { requireDevTools } from "@/lib/dev-tools";
import { devTools } from "./tools";

export const metadata: Metadata = { title: "Developer tools", robots: { index: false } };

/** The index of the developer tools. */
export default function DevToolsPage() {
  requireDevTools();
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Developer tools</h1>
      <ul className="grid gap-4 sm:grid-cols-2">
        {devTools.map((tool) => (
          <Card asChild key={tool.href}>
            <li className="space-y-1">
              <h2 className="font-medium">
                {/* The whole card's heading is the link: a large target on a phone. */}
                <Link href={tool.href} className="inline-flex min-h-11 items-center text-link underline">
                  {tool.title}
                </Link>
              </h2>
              <p className="text-sm text-muted-foreground">{tool.text}</p>
            </li>
          </Card>
        ))}
      </ul>
    </section>
  );
}
