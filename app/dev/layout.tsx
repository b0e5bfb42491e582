import Link from "next/link";
import { connection } from "next/server";
import { Button } from "@/components/ui/button";
import { requireDevTools } from "@/lib/dev-tools";
import { devTools } from "./tools";

/** Developer tools: on in development, 404 in production unless ENABLE_DEV_TOOLS=1. */
export default async function DevToolsLayout({ children }: { children: React.ReactNode }) {
  // Decided per request: otherwise `next build` prerenders these pages as a static 404 and ENABLE_DEV_TOOLS at run time is ignored.
  await connection();
  requireDevTools();
  return (
    <div className="space-y-6">
      <nav aria-label="Developer tools" className="rounded-md border border-amber-200 bg-amber-50 p-1 text-sm">
        <ul className="flex flex-wrap items-center gap-x-1">
          <li className="px-2 font-medium text-amber-900">Dev tools:</li>
          {devTools.map((tool) => (
            <li key={tool.href}>
              <Button asChild variant="link" className="px-2 text-amber-900">
                <Link href={tool.href}>{tool.navLabel}</Link>
              </Button>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </div>
  );
}
