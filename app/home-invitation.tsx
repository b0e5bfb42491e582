"use client";

import Link from "next/link";
import { useViewer } from "@/app/_components/use-viewer";

const link = "font-medium text-link underline";

/**
 * The landing page's invitation: sign up or in, or, once the browser knows the
 * visitor is signed in, a link to their dashboard. A client island so `/`
 * itself stays a static page.
 */
export function HomeInvitation() {
  const viewer = useViewer();
  if (viewer.signedIn)
    return (
      <>
        Yours are on your{" "}
        <Link href="/dashboard" className={link}>
          dashboard
        </Link>
        .
      </>
    );
  return (
    <>
      <Link href="/sign-up" className={link}>
        Sign up
      </Link>{" "}
      to keep your own box, or{" "}
      <Link href="/sign-in" className={link}>
        sign in
      </Link>
      .
    </>
  );
}
