import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/lib/core/format";
import { db } from "@/lib/db";
import { can } from "@/lib/teams/permissions";
import { listEndpoints, svixConfigured } from "@/lib/webhooks-out";
import { currentTeam } from "../current-team";
import { EndpointForm, SvixPortalButton } from "./forms";

export const metadata: Metadata = { title: "Webhooks" };

const disabledBecause = {
  manual: "turned off",
  gone: "turned off: it answered 410 Gone",
  failing: "turned off: it failed for 5 days",
} as const;

/** The team's webhook endpoints (its owners and admins only): each one's state, and a form to add one. */
export default async function WebhooksPage({ params }: { params: Promise<{ team: string }> }) {
  const { user, team } = await currentTeam(params, "/webhooks");
  if (!can(team.role, "webhooks:manage")) notFound();
  const intro = (
    <div>
      <h1 className="text-2xl font-semibold">Webhooks</h1>
      <p className="text-sm text-stone-600">
        Your software hears about the team&apos;s changes (recipes, members, the subscription) as signed POST requests
        that follow <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>. The{" "}
        <Link href="/docs/webhooks" className="underline">
          event catalog
        </Link>{" "}
        lists every type with a sample.
      </p>
    </div>
  );
  if (svixConfigured()) {
    return (
      <section className="space-y-6">
        {intro}
        <p className="text-sm text-stone-700">
          This app delivers webhooks through Svix: add endpoints, see every delivery and replay them in its portal.
        </p>
        <SvixPortalButton />
      </section>
    );
  }
  const endpoints = await listEndpoints(db, { teamId: team.id, userId: user.id });
  return (
    <section className="space-y-6">
      {intro}
      {endpoints.length === 0 ? (
        <p className="text-sm text-stone-600">No endpoints yet.</p>
      ) : (
        <ul aria-label="Endpoints" className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {endpoints.map((endpoint) => (
            <li key={endpoint.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
              <div className="min-w-0">
                <Link href={`/t/${team.slug}/webhooks/${endpoint.id}`} className="font-medium break-all underline">
                  {endpoint.url}
                </Link>
                {endpoint.description && <p className="text-sm text-stone-600">{endpoint.description}</p>}
                <p className="text-xs text-stone-500">
                  {endpoint.event_types ? endpoint.event_types.join(", ") : "every event"}
                </p>
              </div>
              <p className="text-sm">
                {endpoint.enabled ? (
                  endpoint.failing_since ? (
                    <span className="text-amber-800">
                      failing since {formatDateTime(new Date(endpoint.failing_since))}
                    </span>
                  ) : (
                    <span className="text-emerald-800">on</span>
                  )
                ) : (
                  <span className="text-red-800">{disabledBecause[endpoint.disabled_reason ?? "manual"]}</span>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
      <EndpointForm />
    </section>
  );
}
