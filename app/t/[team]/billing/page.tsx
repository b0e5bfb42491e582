import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { VerifyEmailBanner } from "@/app/_components/verify-email-banner";
import { billingConfigured, describeUsage, getPlanUsage } from "@/lib/billing";
import { env } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/format";
import { db } from "@/lib/db";
import { can } from "@/lib/teams/permissions";
import { currentTeam } from "../current-team";
import { BillingButton } from "./billing-button";

export const metadata: Metadata = { title: "Billing" };

const checkoutNotices: Record<string, string> = {
  success:
    "Thanks! Stripe is confirming the payment: the team switches to Pro as soon as its webhook arrives, usually within seconds.",
  canceled: "Checkout canceled: nothing was charged.",
};

/** The team's plan and seats; its owner upgrades or manages billing here (Stripe Checkout and portal). */
export default async function TeamBillingPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { user, team } = await currentTeam(params, "/billing");
  if (!can(team.role, "billing:manage")) notFound();
  const [usage, { checkout }] = await Promise.all([getPlanUsage(db, team.id), searchParams]);
  const notice = typeof checkout === "string" ? checkoutNotices[checkout] : undefined;
  const { subscription } = usage;

  return (
    <section className="max-w-xl space-y-6">
      {!user.emailVerified && <VerifyEmailBanner email={user.email} />}
      <div>
        <h1 className="text-2xl font-semibold">Billing</h1>
        <p className="mt-1 text-sm text-stone-600">
          {describeUsage(usage)}. {usage.memberCount} {usage.memberCount === 1 ? "member" : "members"}, up to{" "}
          {usage.plan.memberLimit} on {usage.plan.name}.
        </p>
      </div>
      {notice && (
        <p
          role="status"
          className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
        >
          {notice}
        </p>
      )}
      {usage.plan.id === "free" ? (
        <div className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
          <p>
            Pro is billed per member: {usage.memberCount} {usage.memberCount === 1 ? "seat" : "seats"} today, and the
            count follows the team as people join and leave.
          </p>
          {billingConfigured ? <BillingButton kind="checkout" /> : <NoStripe />}
        </div>
      ) : (
        <div className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
          <p>
            Pro, {subscription?.quantity ?? usage.memberCount} {subscription?.quantity === 1 ? "seat" : "seats"}.
          </p>
          {subscription?.status === "past_due" && (
            <p className="text-sm text-amber-800">The last payment failed. Update the card to keep Pro.</p>
          )}
          {subscription?.cancelAtPeriodEnd && subscription.currentPeriodEnd && (
            <p className="text-sm text-stone-600">Ends on {formatDateTime(subscription.currentPeriodEnd)}.</p>
          )}
          {billingConfigured ? <BillingButton kind="portal" /> : <NoStripe />}
        </div>
      )}
    </section>
  );
}

function NoStripe() {
  return (
    <p className="text-sm text-stone-600">
      Billing is not configured (<code>STRIPE_SECRET_KEY</code> unset
      {env.devToolsEnabled && (
        <>
          ): the{" "}
          <Link href="/dev/stripe" className="font-medium underline">
            Stripe simulator
          </Link>{" "}
          sends signed sample events for this team instead.
        </>
      )}
      {!env.devToolsEnabled && ")."}
    </p>
  );
}
