"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { forgetViewer, useViewer } from "./use-viewer";

const link = "text-stone-700 hover:text-emerald-800 hover:underline";

/**
 * The header's account links. A client component on purpose: reading the
 * session in the root layout would make every page dynamic, so static pages
 * (`/`, contact, pricing) stay static and `useViewer` asks Better Auth's session
 * endpoint after load, again after each navigation.
 */
export function AccountNav() {
  const router = useRouter();
  const viewer = useViewer();

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

  // Until the session is known, hold the space so the header does not jump.
  if (!viewer) return <div className="ml-auto h-5 w-40" aria-hidden="true" />;

  return (
    <ul className="ml-auto flex flex-wrap items-center gap-x-4 gap-y-1 text-sm" aria-label="Account">
      {viewer.signedIn ? (
        <>
          <li>
            <Link href="/dashboard" className={link}>
              Dashboard
            </Link>
          </li>
          <li>
            <Link href="/account" className={link} title={viewer.name || undefined}>
              Account
            </Link>
          </li>
          <li>
            <button type="button" onClick={signOut} className={`${link} cursor-pointer`}>
              Sign out
            </button>
          </li>
        </>
      ) : (
        <>
          <li>
            <Link href="/sign-in" className={link}>
              Sign in
            </Link>
          </li>
          <li>
            <Link
              href="/sign-up"
              className="rounded-md bg-emerald-700 px-2.5 py-1 font-medium text-white hover:bg-emerald-800"
            >
              Sign up
            </Link>
          </li>
        </>
      )}
    </ul>
  );
}
