import type { Metadata } from "next";
import Link from "next/link";
import { VerifyEmailBanner } from "@/app/_components/verify-email-banner";
import { getSession } from "@/lib/auth";
import { describeUsage, getPlanUsage, plans, type Plan, type PlanUsage } from "@/lib/billing/plans";
import { env } from "@/lib/env";
import { billingConfigured } from "@/lib/stripe";
import { BillingButton } from "./billing-button";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Pricing" };

type PricingPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const checkoutNotices: Record<string, string> = {
  success:
    "Thanks! Stripe is confirming the payment: your plan switches to Pro as soon as its webhook arrives, usually within seconds.",
  canceled: "Checkout canceled: nothing was charged.",
};

// A Server Component: the session and the plan are read on the server, per request.
export default async function PricingPage({ searchParams }: PricingPageProps) {
  const [session, { checkout }] = await Promise.all([getSession(), searchParams]);
  const usage = session ? await getPlanUsage(db, session.user.id) : null;
  const notice = typeof checkout === "string" ? checkoutNotices[checkout] : undefined;

  return (
    <section className="space-y-6">
      {session && !session.user.emailVerified && <VerifyEmailBanner email={session.user.email} />}
      <div>
        <h1 className="text-2xl font-semibold">Pricing</h1>
        {usage && <p className="mt-1 text-sm text-stone-600">{describeUsage(usage)}.</p>}
      </div>
      {notice && (
        <p
          role="status"
          className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
        >
          {notice}
        </p>
      )}
      {!billingConfigured && <BillingNotConfigured />}
      <div className="grid gap-4 sm:grid-cols-2">
        <PlanCard plan={plans.free} current={usage?.plan.id === "free"}>
          {!session && <SignUpLink />}
        </PlanCard>
        <PlanCard plan={plans.pro} current={usage?.plan.id === "pro"}>
          {session ? <ProAction usage={usage!} /> : <SignUpLink />}
        </PlanCard>
      </div>
    </section>
  );
}

function PlanCard({ plan, current, children }: { plan: Plan; current: boolean; children?: React.ReactNode }) {
  return (
    <article
      className={`space-y-4 rounded-lg border bg-white p-6 ${current ? "border-emerald-600 ring-1 ring-emerald-600" : "border-stone-200"}`}
      aria-label={`${plan.name} plan`}
    >
      <div className="flex items-baseline justify-between">
        <h2 className="text-xl font-semibold">{plan.name}</h2>
        {current && (
          <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
            Your plan
          </span>
        )}
      </div>
      <ul className="list-inside list-disc text-sm text-stone-700">
        {plan.features.map((feature) => (
          <li key={feature}>{feature}</li>
        ))}
      </ul>
      {children}
    </article>
  );
}

function ProAction({ usage }: { usage: PlanUsage }) {
  if (usage.plan.id === "free") {
    return billingConfigured ? (
      <BillingButton kind="checkout" />
    ) : (
      <p className="text-sm text-stone-500">Upgrading needs billing to be configured (see above).</p>
    );
  }
  const { subscription } = usage;
  return (
    <div className="space-y-2">
      {subscription?.status === "past_due" && (
        <p className="text-sm text-amber-800">Your last payment failed. Update your card to keep Pro.</p>
      )}
      {subscription?.cancelAtPeriodEnd && subscription.currentPeriodEnd && (
        <p className="text-sm text-stone-600">
          Ends on {subscription.currentPeriodEnd.toLocaleDateString("en-GB", { dateStyle: "long" })}.
        </p>
      )}
      {billingConfigured ? (
        <BillingButton kind="portal" />
      ) : (
        <p className="text-sm text-stone-500">
          A simulated subscription: change it at{" "}
          <Link href="/dev/stripe" className="underline">
            /dev/stripe
          </Link>
          .
        </p>
      )}
    </div>
  );
}

function SignUpLink() {
  return (
    <Link
      href="/sign-up"
      className="inline-block rounded-md bg-emerald-700 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-emerald-800"
    >
      Sign up to start
    </Link>
  );
}

function BillingNotConfigured() {
  return (
    <div className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
      <p className="font-medium">Billing is not configured.</p>
      <p>
        Set <code>STRIPE_SECRET_KEY</code>, <code>STRIPE_PRICE_ID</code> (the Pro plan&apos;s recurring price) and{" "}
        <code>STRIPE_WEBHOOK_SECRET</code> in <code>.env.local</code>, restart, and forward Stripe&apos;s events to this
        app:
      </p>
      <pre className="overflow-x-auto rounded bg-stone-900 p-2 text-xs text-stone-100">
        stripe listen --forward-to localhost:3000/api/webhooks/stripe
      </pre>
      {env.devToolsEnabled && (
        <p>
          No Stripe account? The{" "}
          <Link href="/dev/stripe" className="font-medium underline">
            Stripe simulator
          </Link>{" "}
          sends signed sample events to this app, so you can go from Free to Pro and back.
        </p>
      )}
    </div>
  );
}
