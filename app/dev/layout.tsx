import Link from "next/link";
import { connection } from "next/server";
import { requireDevTools } from "@/lib/dev-tools";
import { devTools } from "./tools";

/** Developer tools: on in development, 404 in production unless ENABLE_DEV_TOOLS=1. */
export default async function DevToolsLayout({ children }: { children: React.ReactNode }) {
  // Decided per request: otherwise `next build` prerenders these pages as a static 404 and ENABLE_DEV_TOOLS at run time is ignored.
  await connection();
  requireDevTools();
  return (
    <div className="space-y-6">
      <nav
        aria-label="Developer tools"
        className="flex flex-wrap gap-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm"
      >
        <span className="font-medium text-amber-900">Dev tools:</span>
        {devTools.map((tool) => (
          <Link key={tool.href} href={tool.href} className="text-amber-900 underline">
            {tool.navLabel}
          </Link>
        ))}
      </nav>
      {children}
    </div>
  );
}
