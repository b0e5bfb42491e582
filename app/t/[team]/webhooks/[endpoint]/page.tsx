import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/lib/core/format";
import { isAppError } from "@/lib/core/errors";
import { db } from "@/lib/db";
import { webhookAttemptStatuses, type WebhookAttemptStatus } from "@/lib/db/schema";
import { can } from "@/lib/teams/permissions";
import { getEndpoint, listDeliveries, TEST_EVENT_TYPE, webhookEventTypes } from "@/lib/webhooks-out";
import { currentTeam } from "../../current-team";
import { EndpointControls, EndpointForm, ReplayButton } from "../forms";

export const metadata: Metadata = { title: "Webhook endpoint" };

const statusStyle: Record<WebhookAttemptStatus, string> = {
  pending: "text-stone-700",
  succeeded: "text-emerald-800",
  failed: "text-amber-800",
  exhausted: "text-red-800",
};

/** One endpoint: its settings and controls, and its deliveries (every try), newest first, filtered by type or status. */
export default async function EndpointPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string; endpoint: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { endpoint: endpointId } = await params;
  const { user, team } = await currentTeam(params, `/webhooks/${endpointId}`);
  if (!can(team.role, "webhooks:manage") || !/^[0-9a-f-]{36}$/i.test(endpointId)) notFound();
  const actor = { teamId: team.id, userId: user.id };
  const endpoint = await getEndpoint(db, actor, endpointId).catch((error: unknown) => {
    if (isAppError(error) && error.kind === "not-found") notFound();
    throw error;
  });
  const query = await searchParams;
  const typeFilter = typeof query.type === "string" ? query.type : "";
  const statusFilter = (webhookAttemptStatuses as readonly string[]).includes(String(query.status))
    ? (query.status as WebhookAttemptStatus)
    : undefined;
  const deliveries = await listDeliveries(db, actor, endpoint.id, {
    type: typeFilter || undefined,
    status: statusFilter,
    limit: 50,
  });

  return (
    <section className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href={`/t/${team.slug}/webhooks`} className="underline">
            Webhooks
          </Link>
        </p>
        <h1 className="text-2xl font-semibold break-all">{endpoint.url}</h1>
        <p className="text-sm text-stone-600">
          {endpoint.enabled ? "On" : `Off (${endpoint.disabled_reason})`}
          {endpoint.failing_since && ` · failing since ${formatDateTime(new Date(endpoint.failing_since))}`}
          {endpoint.previous_secret_expires_at &&
            ` · the previous secret signs too until ${formatDateTime(new Date(endpoint.previous_secret_expires_at))}`}
        </p>
      </div>
      <EndpointControls endpointId={endpoint.id} enabled={endpoint.enabled} url={endpoint.url} />

      <div className="space-y-3">
        <h2 className="text-lg font-semibold">Deliveries</h2>
        <form className="flex flex-wrap items-end gap-2 text-sm" aria-label="Filter deliveries">
          <div>
            <label htmlFor="filter-type" className="block font-medium">
              Type
            </label>
            <select
              id="filter-type"
              name="type"
              defaultValue={typeFilter}
              className="mt-1 min-h-11 rounded-md border border-stone-300 bg-white px-2"
            >
              <option value="">every type</option>
              {[...webhookEventTypes, TEST_EVENT_TYPE].map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="filter-status" className="block font-medium">
              Status
            </label>
            <select
              id="filter-status"
              name="status"
              defaultValue={statusFilter ?? ""}
              className="mt-1 min-h-11 rounded-md border border-stone-300 bg-white px-2"
            >
              <option value="">every status</option>
              {webhookAttemptStatuses.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="min-h-11 rounded-md border border-stone-300 bg-white px-3">
            Filter
          </button>
        </form>
        {deliveries.length === 0 ? (
          <p className="text-sm text-stone-600">No deliveries{typeFilter || statusFilter ? " match" : " yet"}.</p>
        ) : (
          <ul aria-label="Deliveries" className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
            {deliveries.map((delivery) => (
              <li key={delivery.id} className="flex flex-wrap items-start justify-between gap-3 p-4 text-sm">
                <div className="min-w-0 space-y-1">
                  <p>
                    <code>{delivery.type}</code> · <code className="text-xs">{delivery.messageId}</code> · try{" "}
                    {delivery.attempt}
                    {delivery.replay && " (replay)"}
                  </p>
                  <p>
                    <span className={`font-medium ${statusStyle[delivery.status]}`}>{delivery.status}</span>
                    {delivery.responseStatus !== null && ` · HTTP ${delivery.responseStatus}`}
                    {delivery.latencyMs !== null && ` · ${delivery.latencyMs} ms`}
                    {delivery.status === "pending"
                      ? ` · due ${formatDateTime(delivery.nextAttemptAt)}`
                      : delivery.attemptedAt && ` · ${formatDateTime(delivery.attemptedAt)}`}
                  </p>
                  {delivery.error && <p className="text-stone-600">{delivery.error}</p>}
                  {delivery.responseBody && (
                    <details>
                      <summary className="cursor-pointer text-stone-600">Response</summary>
                      <pre className="mt-1 max-h-48 overflow-auto rounded bg-stone-100 p-2 text-xs whitespace-pre-wrap">
                        {delivery.responseBody}
                      </pre>
                    </details>
                  )}
                </div>
                {(delivery.status === "exhausted" ||
                  delivery.status === "failed" ||
                  delivery.status === "succeeded") && (
                  <ReplayButton endpointId={endpoint.id} messageId={delivery.messageId} />
                )}
              </li>
            ))}
          </ul>
        )}
      </div>

      <EndpointForm
        endpoint={{
          id: endpoint.id,
          url: endpoint.url,
          description: endpoint.description,
          eventTypes: endpoint.event_types,
        }}
      />
    </section>
  );
}
