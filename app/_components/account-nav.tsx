"use client";

import { LogOut } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { forgetViewer, useViewer } from "./use-viewer";

/**
 * The account's links: Sign in and Sign up, or Dashboard, Account and Sign out. Rendered on the server as for a
 * signed-out visitor (static pages stay static, and a signed-out visitor sees them at once); `useViewer` swaps
 * in the signed-in links when the browser holds a session. `stacked`: one per line, for the phone's menu.
 * `data-viewer` says what the browser decided ("pending" until then), for tests and styles.
 */
export function AccountNav({ stacked = false, className }: { stacked?: boolean; className?: string }) {
  const router = useRouter();
  const viewer = useViewer();
  const item = stacked ? "w-full justify-start" : undefined;

  // Better Auth's own endpoint, not a Server Action: a Server Action here would compile the whole auth
  // module into every page (the first page in `next dev` took seconds longer).
  async function signOut() {
    // With a JSON body: on the server an empty POST still carries a (empty) body stream, which Better Auth refuses
    // with 415 when it has no content type, and the cookie would stay.
    const response = await fetch("/api/auth/sign-out", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    }).catch(() => null);
    // Still signed in (offline, or the server refused): leave the links as they are.
    if (!response?.ok) return;
    forgetViewer();
    router.push("/");
    router.refresh();
  }

  return (
    <ul
      aria-label="Account"
      data-viewer={!viewer.known ? "pending" : viewer.signedIn ? "signed-in" : "signed-out"}
      className={cn(stacked ? "flex flex-col gap-1" : "flex items-center gap-1", className)}
    >
      {viewer.signedIn ? (
        <>
          <li>
            <Button asChild variant="ghost" className={item}>
              <Link href="/dashboard">Dashboard</Link>
            </Button>
          </li>
          <li>
            <Button asChild variant="ghost" className={item}>
              <Link href="/account" title={viewer.name || undefined}>
                Account
              </Link>
            </Button>
          </li>
          <li>
            <Button type="button" variant="ghost" onClick={signOut} className={item}>
              <LogOut aria-hidden="true" />
              Sign out
            </Button>
          </li>
        </>
      ) : (
        <>
          <li>
            <Button asChild variant="ghost" className={item}>
              <Link href="/sign-in">Sign in</Link>
            </Button>
          </li>
          <li>
            <Button asChild className={item}>
              <Link href="/sign-up">Sign up</Link>
            </Button>
          </li>
        </>
      )}
    </ul>
  );
}
