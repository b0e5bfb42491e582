"use client";

import Link from "next/link";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { reportBrowserError } from "@/lib/observability/browser";

/**
 * What a page shows when rendering it fails. The server already logged and
 * reported the error (instrumentation.ts, `onRequestError`); `digest` is the
 * id Next gave it, so a user can quote it. Errors in the browser are reported
 * here when Sentry is configured for it (NEXT_PUBLIC_SENTRY_DSN).
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    // A digest means the server rendered it and reported it already.
    if (!error.digest) reportBrowserError(error);
  }, [error]);

  return (
    <section role="alert" className="mx-auto max-w-md space-y-4 py-12 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-muted-foreground">
        This page could not be shown. Please try again; if it keeps happening, tell us on the{" "}
        <Link href="/contact" className="font-medium text-link underline">
          contact page
        </Link>
        {error.digest ? (
          <>
            {" "}
            and quote <code className="rounded bg-muted px-1 break-all">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <Button type="button" onClick={reset}>
        Try again
      </Button>
    </section>
  );
}
