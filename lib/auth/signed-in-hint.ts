import "server-only";
import { SIGNED_IN_HINT_COOKIE } from "./cookies";

export type CookieToSet = {
  name: string;
  value: string;
  options: { path: string; sameSite: "lax"; httpOnly: false; secure: boolean; maxAge: number };
};

/**
 * The hint cookie (SIGNED_IN_HINT_COOKIE) to set alongside whatever an auth response does to the session cookie:
 * set when it starts or renews a session, cleared when it ends one (sign-out, a revoked or expired session),
 * nothing when it leaves the session cookie alone. `sessionMaxAge`: the session cookie's lifetime, in seconds.
 * When a response sets the session cookie more than once (an impersonation clears the operator's, then sets the
 * user's), the last one is what the browser keeps.
 */
export function signedInHintFor(
  responseHeaders: Headers | null | undefined,
  { sessionCookie, sessionMaxAge, secure }: { sessionCookie: string; sessionMaxAge: number; secure: boolean },
): CookieToSet | null {
  const entry = responseHeaders
    ?.getSetCookie()
    .filter((cookie) => cookie.startsWith(`${sessionCookie}=`))
    .at(-1);
  if (!entry) return null;
  const ended = entry.startsWith(`${sessionCookie}=;`) || /;\s*max-age=0(;|$)/i.test(entry);
  return {
    name: SIGNED_IN_HINT_COOKIE,
    value: ended ? "" : "1",
    options: { path: "/", sameSite: "lax", httpOnly: false, secure, maxAge: ended ? 0 : sessionMaxAge },
  };
}
