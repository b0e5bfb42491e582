"use client";

import { usePathname } from "next/navigation";
import { useEffect, useSyncExternalStore } from "react";

export type Viewer = { signedIn: false } | { signedIn: true; name: string };

// One answer for the whole page, shared by every component that asks (the header and the page).
let viewer: Viewer | null = null;
let askedFor: string | null = null;
const listeners = new Set<() => void>();

function set(next: Viewer) {
  viewer = next;
  for (const listener of listeners) listener();
}

function ask(pathname: string) {
  if (askedFor === pathname) return;
  askedFor = pathname;
  fetch("/api/auth/get-session", { cache: "no-store" })
    .then((response) => (response.ok ? response.json() : null))
    .then((body: { user?: { name?: string } } | null) => {
      if (askedFor === pathname) set(body?.user ? { signedIn: true, name: body.user.name ?? "" } : { signedIn: false });
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
  askedFor = null;
  set({ signedIn: false });
}

/**
 * Who is looking, for the parts of a page that differ when signed in; `null`
 * until known. Asked in the browser, from Better Auth's session endpoint, so the
 * pages themselves stay static (reading the session on the server would render
 * them per request). One request per page view, again after each navigation,
 * since signing in or out changes the answer.
 */
export function useViewer(): Viewer | null {
  const pathname = usePathname();
  useEffect(() => ask(pathname), [pathname]);
  return useSyncExternalStore(
    subscribe,
    () => viewer,
    () => null,
  );
}
