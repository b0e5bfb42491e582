import "server-only";
import { notFound } from "next/navigation";
import { env } from "@/lib/core/env";

/**
 * The one guard of the developer tools (/dev pages, /api/dev routes and the
 * dev Server Actions): a 404, as if they did not exist, unless they are on
 * (development and tests; production only with ENABLE_DEV_TOOLS=1). Every
 * entry calls it, not only the /dev layout: an action or a route is a public
 * endpoint of its own, and a page's payload can be requested without its layout.
 */
export function requireDevTools(): void {
  if (!env.devToolsEnabled) notFound();
}
