import { getSessionCookie } from "better-auth/cookies";
import { type NextRequest, NextResponse, type ProxyConfig } from "next/server";

/**
 * Next's limit on a Server Action's body (`serverActions.bodySizeLimit`, 1 MB by default). Past it
 * Next throws "Body exceeded 1 MB limit" while reading the body and answers 500; the proxy answers
 * what it is instead, 413, before Next reads a byte.
 */
export const SERVER_ACTION_MAX_BYTES = 1024 * 1024;

/** The signed-in areas: the same alternatives as the first matcher's `source` below. */
const SIGNED_IN_AREA = /^\/(dashboard|account|t|teams)(\/|$)/;

/**
 * Two checks, each as early as it can be made:
 * - a Server Action post (with JavaScript or without) must say its size, and stay under Next's
 *   limit: 413 over it, 411 without a Content-Length (browsers always send one);
 * - an optimistic sign-in check: a visitor of a signed-in area with no session cookie is sent to
 *   sign in before the page renders. Every page and Server Action still checks the session itself,
 *   because a cookie can be stale or forged.
 */
export function proxy(request: NextRequest) {
  if (isServerActionPost(request)) {
    const refusal = refuseActionBody(request.headers.get("content-length"));
    if (refusal) return refusal;
  }
  if (SIGNED_IN_AREA.test(request.nextUrl.pathname) && !getSessionCookie(request)) {
    const url = new URL("/sign-in", request.url);
    url.searchParams.set("next", request.nextUrl.pathname);
    return NextResponse.redirect(url);
  }
  return NextResponse.next();
}

/**
 * A Server Action post: React's (the `Next-Action` header), or a form posted without JavaScript, which
 * Next recognises by its multipart body (`$ACTION_…` fields) on a page. Route Handlers under /api read
 * their own bodies, with their own limits.
 */
function isServerActionPost(request: NextRequest): boolean {
  if (request.method !== "POST") return false;
  if (request.headers.has("next-action")) return true;
  const formPost = request.headers.get("content-type")?.startsWith("multipart/form-data") ?? false;
  return formPost && !request.nextUrl.pathname.startsWith("/api/");
}

function refuseActionBody(contentLength: string | null): Response | null {
  const text = { "content-type": "text/plain; charset=utf-8" };
  if (contentLength === null || !/^\d+$/.test(contentLength))
    return new Response("Length required: say how large the form is (Content-Length).\n", {
      status: 411,
      headers: text,
    });
  if (Number(contentLength) > SERVER_ACTION_MAX_BYTES)
    return new Response("That form is too large to send: at most 1 MB.\n", { status: 413, headers: text });
  return null;
}

/**
 * The signed-in areas (add a new one to the alternatives in `source`, and to `SIGNED_IN_AREA`), and
 * only for requests without Better Auth's session cookie (`__Secure-` is its name over HTTPS): a
 * signed-in view would pass the check anyway, and skipping the proxy saves it 0.4–1.2 ms of CPU
 * (docs/benchmarks.md). And every Server Action post, for its size: React's, and a form posted
 * without JavaScript. Next reads this object at build
 * time, so it holds literals only; proxy.test.ts checks the names against Better Auth's.
 */
export const config: ProxyConfig = {
  matcher: [
    {
      source: "/:area(dashboard|account|t|teams)/:path*",
      missing: [
        { type: "cookie", key: "better-auth.session_token" },
        { type: "cookie", key: "__Secure-better-auth.session_token" },
      ],
    },
    { source: "/:path*", has: [{ type: "header", key: "next-action" }] },
    // A form posted without JavaScript, to a page.
    {
      source: "/((?!api/|_next/).*)",
      has: [{ type: "header", key: "content-type", value: "multipart/form-data.*" }],
    },
  ],
};
