import type { Metadata } from "next";
import Link from "next/link";
import { VerifyEmailBanner } from "@/app/_components/verify-email-banner";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { getSession } from "@/lib/auth";
import { billingConfigured, getTeamPlan, plans, type Plan } from "@/lib/billing";
import { env } from "@/lib/core/env";
import { db } from "@/lib/db";
import { listTeamsOf } from "@/lib/teams";
import { can } from "@/lib/teams/permissions";

export const metadata: Metadata = { title: "Pricing" };

// A Server Component: the session and the teams' plans are read on the server, per request.
export default async function PricingPage() {
  const session = await getSession();
  // Plans belong to teams: the signed-in owner sees each team they bill, and where to upgrade it.
  const owned = session
    ? (await listTeamsOf(db, session.user.id)).filter((team) => can(team.role, "billing:manage"))
    : [];
  const teams = await Promise.all(
    owned.map(async (team) => ({ ...team, plan: (await getTeamPlan(db, team.id)).plan })),
  );

  return (
    <section className="space-y-6">
      {session && !session.user.emailVerified && <VerifyEmailBanner email={session.user.email} />}
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Pricing</h1>
        <p className="text-sm text-muted-foreground">
          Plans are per team: your own, and every team you cook with. Pro is billed per member.
        </p>
      </div>
      {!billingConfigured && <BillingNotConfigured />}
      <div className="grid gap-4 sm:grid-cols-2">
        <PlanCard plan={plans.free}>{!session && <SignUpLink />}</PlanCard>
        <PlanCard plan={plans.pro}>{!session && <SignUpLink />}</PlanCard>
      </div>
      {teams.length > 0 && (
        <div className="space-y-2">
          <h2 className="text-lg font-semibold">Your teams</h2>
          <Card asChild className="divide-y divide-border p-0">
            <ul aria-label="Your teams' plans">
              {teams.map((team) => (
                <li key={team.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
                  <span className="flex items-center gap-2">
                    {team.name}
                    <Badge variant={team.plan.id === "free" ? "neutral" : "success"}>{team.plan.name}</Badge>
                  </span>
                  <Button asChild variant={team.plan.id === "free" ? "default" : "secondary"}>
                    <Link href={`/t/${team.slug}/billing`}>
                      {team.plan.id === "free" ? `Upgrade ${team.name}` : `Billing for ${team.name}`}
                    </Link>
                  </Button>
                </li>
              ))}
            </ul>
          </Card>
        </div>
      )}
    </section>
  );
}

function PlanCard({ plan, children }: { plan: Plan; children?: React.ReactNode }) {
  return (
    <Card asChild className="space-y-4 sm:p-6">
      <article aria-label={`${plan.name} plan`}>
        <h2 className="text-xl font-semibold">{plan.name}</h2>
        <ul className="list-inside list-disc text-sm text-stone-700">
          {plan.features.map((feature) => (
            <li key={feature}>{feature}</li>
          ))}
        </ul>
        {children}
      </article>
    </Card>
  );
}

function SignUpLink() {
  return (
    <Button asChild>
      <Link href="/sign-up">Sign up to start</Link>
    </Button>
  );
}

/** Where `stripe listen` forwards to: this server as its links name it (the dev server's own port without APP_URL). */
const webhookTarget = `${env.appUrl.replace(/^https?:\/\//, "")}/api/webhooks/stripe`;

function BillingNotConfigured() {
  return (
    <Alert variant="warning" className="space-y-2 p-4">
      <p className="font-medium">Billing is not configured.</p>
      <p>
        Set <code>STRIPE_SECRET_KEY</code>, <code>STRIPE_PRICE_ID</code> (the Pro plan&apos;s recurring price) and{" "}
        <code>STRIPE_WEBHOOK_SECRET</code> in <code>.env.local</code>, restart, and forward Stripe&apos;s events to this
        app:
      </p>
      <CodeBlock>
        <code>stripe listen --forward-to {webhookTarget}</code>
      </CodeBlock>
      {env.devToolsEnabled && (
        <p>
          No Stripe account? The{" "}
          <Link href="/dev/stripe" className="font-medium underline">
            Stripe simulator
          </Link>{" "}
          sends signed sample events to this app, so you can go from Free to Pro and back.
        </p>
      )}
    </Alert>
  );
}
