import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Suspense } from "react";
import { getSession } from "@/lib/auth";
import { describeUsage, getPlanUsage } from "@/lib/billing";
import { requireDevTools } from "@/lib/dev-tools";
import { listTeamsOf } from "@/lib/teams";
import { can } from "@/lib/teams/permissions";
import { billingConfigured } from "@/lib/billing";
import { EmptyState } from "@/app/_components/empty-state";
import { LiveRefresh } from "@/app/_components/live-refresh";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SimulateButtons } from "./simulate-buttons";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Stripe simulator", robots: { index: false } };

type PageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default function StripeSimulatorPage({ searchParams }: PageProps) {
  requireDevTools();
  return (
    <section className="space-y-6">
      {/* The events are processed after the action answers: the plan shown changes when processing finishes. */}
      <LiveRefresh url="/api/events" types={["plan.changed"]} />
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Stripe simulator</h1>
        <p className="text-sm text-muted-foreground">
          Sends signed sample Stripe events for you to <code>/api/webhooks/stripe</code>, through the same signature
          check, webhook inbox and handlers as real ones. No Stripe account needed. Watch them arrive at{" "}
          <Link href="/dev/webhooks" className="font-medium text-link underline">
            /dev/webhooks
          </Link>{" "}
          and the payment-failed email at{" "}
          <Link href="/dev/emails" className="font-medium text-link underline">
            /dev/emails
          </Link>
          .
        </p>
      </div>
      <Suspense fallback={<p className="text-sm text-muted-foreground">Loading your plan…</p>}>
        <SimulatorPanel searchParams={searchParams} />
      </Suspense>
    </section>
  );
}

/** The billing of one team the user owns (?team=<slug>; their personal team first). */
async function SimulatorPanel({ searchParams }: PageProps) {
  await connection(); // Always the current plan, never a build-time snapshot.
  const [session, { team: wanted }] = await Promise.all([getSession(), searchParams]);
  if (!session) {
    return (
      <EmptyState>
        <Link href="/sign-in?next=/dev/stripe" className="font-medium text-link underline">
          Sign in
        </Link>{" "}
        to simulate billing events for your account.
      </EmptyState>
    );
  }
  const owned = (await listTeamsOf(db, session.user.id)).filter((team) => can(team.role, "billing:manage"));
  const team = owned.find((candidate) => candidate.slug === wanted) ?? owned[0];
  if (!team) return <EmptyState>You own no team to bill.</EmptyState>;
  const usage = await getPlanUsage(db, team.id);
  return (
    <Card className="space-y-4 sm:p-6">
      {owned.length > 1 && (
        <nav aria-label="Teams you own" className="flex flex-wrap gap-2 text-sm">
          {owned.map((candidate) => (
            <Button key={candidate.id} asChild variant={candidate.id === team.id ? "default" : "secondary"}>
              <Link
                href={`/dev/stripe?team=${candidate.slug}`}
                aria-current={candidate.id === team.id ? "page" : undefined}
              >
                {candidate.name}
              </Link>
            </Button>
          ))}
        </nav>
      )}
      <div className="space-y-1">
        <p>
          Team: <span className="font-medium">{team.name}</span>
        </p>
        <p>
          Current plan: <span className="font-medium">{usage.plan.name}</span>
        </p>
        {usage.subscription && (
          <p className="text-sm break-all text-muted-foreground">
            Subscription {usage.subscription.id}, {usage.subscription.status}
          </p>
        )}
        <p className="text-sm text-muted-foreground">
          {describeUsage(usage)}; {usage.memberCount} {usage.memberCount === 1 ? "member" : "members"}
          {usage.subscription && `, ${usage.subscription.quantity} seats billed`}.
        </p>
      </div>
      {billingConfigured ? (
        <Alert variant="warning">
          STRIPE_SECRET_KEY is set, so billing runs against Stripe: use Upgrade on{" "}
          <Link href={`/t/${team.slug}/billing`} className="underline">
            the team&apos;s billing page
          </Link>{" "}
          with a test card, and <code>stripe trigger invoice.payment_failed</code> for failures.
        </Alert>
      ) : (
        <SimulateButtons teamId={team.id} plan={usage.plan.id} />
      )}
    </Card>
  );
}
