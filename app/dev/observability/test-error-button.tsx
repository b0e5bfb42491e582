"use client";

import { useState } from "react";

type Outcome = { status: number; requestId: string | null } | { failed: string };

/** Calls GET /api/dev/test-error (which throws) and says where its error went, by request id. */
export function TestErrorButton({ sentryTarget }: { sentryTarget: string | null }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, setPending] = useState(false);

  async function throwTestError() {
    setPending(true);
    try {
      const response = await fetch("/api/dev/test-error", { cache: "no-store" });
      setOutcome({ status: response.status, requestId: response.headers.get("x-request-id") });
    } catch (error) {
      setOutcome({ failed: error instanceof Error ? error.message : String(error) });
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
      <button
        type="button"
        onClick={throwTestError}
        disabled={pending}
        className="rounded-md bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60"
      >
        {pending ? "Throwing…" : "Throw a test error"}
      </button>
      {outcome && (
        <div role="status" className="text-sm text-stone-800">
          {"failed" in outcome ? (
            <p>The request did not complete: {outcome.failed}</p>
          ) : (
            <>
              <p>
                The server answered {outcome.status}. Request id:{" "}
                <code data-testid="request-id">{outcome.requestId}</code>
              </p>
              <p>
                {sentryTarget
                  ? `Sent to Sentry (${sentryTarget}): search for request_id:${outcome.requestId}.`
                  : "Sentry is off, so it went to the server log only: look for the line with this requestId."}
              </p>
            </>
          )}
        </div>
      )}
    </div>
  );
}
