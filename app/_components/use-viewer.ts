"use client";

import { usePathname } from "next/navigation";
import { useEffect, useSyncExternalStore } from "react";
import { SIGNED_IN_HINT_COOKIE } from "@/lib/auth/cookies";

/**
 * Who is looking. `known` is false until the browser has decided: the server renders every page as for a
 * signed-out visitor (so static pages stay static and a signed-out visitor sees no change), and the browser
 * swaps in the signed-in view once Better Auth confirms a session.
 */
export type Viewer =
  | { known: boolean; signedIn: false }
  | { known: true; signedIn: true; name: string; impersonation: Impersonation | null };

/** An operator sees the app as this user (lib/admin/impersonation.ts), until `endsAt` at the latest. */
export type Impersonation = { email: string; endsAt: string };

const asRendered: Viewer = { known: false, signedIn: false };

// One answer for the whole page, shared by every component that asks (the header and the page).
let viewer: Viewer = asRendered;
let askedFor: string | null = null;
const listeners = new Set<() => void>();

function set(next: Viewer) {
  viewer = next;
  for (const listener of listeners) listener();
}

const hintCookie = () => document.cookie.split(/;\s*/).find((cookie) => cookie.startsWith(`${SIGNED_IN_HINT_COOKIE}=`));

function forgetHint() {
  document.cookie = `${SIGNED_IN_HINT_COOKIE}=; Max-Age=0; Path=/; SameSite=Lax`;
}

/** What Better Auth's get-session answers, as far as the header reads it. */
type SessionAnswer = {
  user?: { name?: string; email?: string };
  session?: { impersonatedBy?: string | null; expiresAt?: string };
};

function ask(pathname: string) {
  if (askedFor === pathname) return;
  askedFor = pathname;
  // No hint, no session: this browser has not signed in (or signed out). Nothing to ask, nothing changes.
  if (hintCookie() !== `${SIGNED_IN_HINT_COOKIE}=1`) return set({ known: true, signedIn: false });
  fetch("/api/auth/get-session", { cache: "no-store" })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
    .then((body: SessionAnswer | null) => {
      if (askedFor !== pathname) return;
      if (body?.user) {
        const impersonation = body.session?.impersonatedBy
          ? { email: body.user.email ?? "", endsAt: body.session.expiresAt ?? "" }
          : null;
        return set({ known: true, signedIn: true, name: body.user.name ?? "", impersonation });
      }
      // The session ended elsewhere (expired, revoked): the hint goes too, and the next page asks nothing.
      forgetHint();
      set({ known: true, signedIn: false });
    })
    .catch(() => {
      // Offline, or the server did not answer: keep what is shown.
    });
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** After signing out: every component shows the signed-out view at once. */
export function forgetViewer() {
  forgetHint();
  askedFor = null;
  set({ known: true, signedIn: false });
}

/**
 * Who is looking, for the parts of a page that differ when signed in. Asked in the browser, from Better Auth's
 * session endpoint and only when the signed-in hint cookie is there, so the pages themselves stay static
 * (reading the session on the server would render them per request). Asked again after each navigation,
 * since signing in or out changes the answer.
 */
export function useViewer(): Viewer {
  const pathname = usePathname();
  useEffect(() => ask(pathname), [pathname]);
  return useSyncExternalStore(
    subscribe,
    () => viewer,
    () => asRendered,
  );
}
