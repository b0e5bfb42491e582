import type { Metadata } from "next";
import { connection } from "next/server";
import { requireDevTools } from "@/lib/dev-tools";
import { observabilityDestinations } from "@/lib/observability/destinations";
import { Card } from "@/components/ui/card";
import { TestErrorButton } from "./test-error-button";

export const metadata: Metadata = { title: "Observability", robots: { index: false } };

function Destination({ label, target, off }: { label: string; target: string | null | boolean; off: string }) {
  return (
    <Card>
      <dt className="font-medium">{label}</dt>
      <dd className="mt-1 text-sm break-words text-stone-700">
        {target ? <span className="text-emerald-800">On: {target === true ? "yes" : target}</span> : <span>{off}</span>}
      </dd>
    </Card>
  );
}

/** Where errors, product events and logs go with this server's settings, and a button to try error tracking. */
export default async function ObservabilityPage() {
  await connection(); // The settings of the running server, not of the build.
  requireDevTools();
  const where = observabilityDestinations();
  return (
    <section className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Observability</h1>
        <p className="text-sm text-muted-foreground">
          Every response carries an <code>x-request-id</code> header; every log line of that request (and of the jobs it
          queued) carries the same <code>requestId</code>, and so does its Sentry event (tag <code>request_id</code>).
        </p>
      </div>
      <dl className="grid gap-4 sm:grid-cols-2">
        <Destination
          label="Server errors (Sentry)"
          target={where.sentryServer}
          off="Off (SENTRY_DSN unset): errors are in the server log only"
        />
        <Destination
          label="Browser errors (Sentry)"
          target={where.sentryBrowser}
          off="Off (NEXT_PUBLIC_SENTRY_DSN unset at build time)"
        />
        <Destination
          label="Product events (PostHog)"
          target={where.posthog}
          off="Off (POSTHOG_KEY unset): events are noted at debug level in the log"
        />
        <Destination label="Structured log (stdout, JSON)" target={`level ${where.logLevel}`} off="" />
      </dl>
      <TestErrorButton sentryTarget={where.sentryServer} />
    </section>
  );
}
