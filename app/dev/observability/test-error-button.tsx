"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

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
    <Card className="space-y-3">
      <Button type="button" variant="destructive" onClick={throwTestError} disabled={pending}>
        {pending ? "Throwing…" : "Throw a test error"}
      </Button>
      {outcome && (
        <div role="status" className="text-sm break-words text-stone-800">
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
    </Card>
  );
}
