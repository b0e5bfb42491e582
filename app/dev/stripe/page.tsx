import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Suspense } from "react";
import { getSession } from "@/lib/auth";
import { describeUsage, getPlanUsage } from "@/lib/billing/plans";
import { requireDevTools } from "@/lib/dev-tools";
import { billingConfigured } from "@/lib/stripe";
import { LiveRefresh } from "@/app/_components/live-refresh";
import { SimulateButtons } from "./simulate-buttons";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Stripe simulator", robots: { index: false } };

export default function StripeSimulatorPage() {
  requireDevTools();
  return (
    <section className="space-y-6">
      {/* The events are processed after the action answers: the plan shown changes when processing finishes. */}
      <LiveRefresh url="/api/events" types={["plan.changed"]} />
      <div>
        <h1 className="text-2xl font-semibold">Stripe simulator</h1>
        <p className="mt-1 text-sm text-stone-600">
          Sends signed sample Stripe events for you to <code>/api/webhooks/stripe</code>, through the same signature
          check, webhook inbox and handlers as real ones. No Stripe account needed. Watch them arrive at{" "}
          <Link href="/dev/webhooks" className="underline">
            /dev/webhooks
          </Link>{" "}
          and the payment-failed email at{" "}
          <Link href="/dev/emails" className="underline">
            /dev/emails
          </Link>
          .
        </p>
      </div>
      <Suspense fallback={<p className="text-sm text-stone-600">Loading your plan…</p>}>
        <SimulatorPanel />
      </Suspense>
    </section>
  );
}

async function SimulatorPanel() {
  await connection(); // Always the current plan, never a build-time snapshot.
  const session = await getSession();
  if (!session) {
    return (
      <p className="rounded-lg border border-dashed border-stone-300 bg-white p-8 text-center text-stone-600">
        <Link href="/sign-in?next=/dev/stripe" className="text-emerald-800 underline">
          Sign in
        </Link>{" "}
        to simulate billing events for your account.
      </p>
    );
  }
  const usage = await getPlanUsage(db, session.user.id);
  return (
    <div className="space-y-4 rounded-lg border border-stone-200 bg-white p-6">
      <p>
        Current plan: <span className="font-medium">{usage.plan.name}</span>
        {usage.subscription && (
          <span className="text-sm text-stone-600">
            {" "}
            (subscription {usage.subscription.id}, {usage.subscription.status})
          </span>
        )}
        <br />
        <span className="text-sm text-stone-600">{describeUsage(usage)}.</span>
      </p>
      {billingConfigured ? (
        <p className="text-sm text-amber-800">
          STRIPE_SECRET_KEY is set, so billing runs against Stripe: use Upgrade on{" "}
          <Link href="/pricing" className="underline">
            /pricing
          </Link>{" "}
          with a test card, and <code>stripe trigger invoice.payment_failed</code> for failures.
        </p>
      ) : (
        <SimulateButtons plan={usage.plan.id} />
      )}
    </div>
  );
}
