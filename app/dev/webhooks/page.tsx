import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import type { WebhookEvent, WebhookEventStatus } from "@/lib/db/schema";
import { requireDevTools } from "@/lib/dev-tools";
import { listRecentWebhookEvents } from "@/lib/webhooks/inbox";
import { LiveRefresh } from "@/app/_components/live-refresh";
import { ReplayButton } from "./replay-button";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Webhook inbox", robots: { index: false } };

export default function WebhookInboxPage() {
  requireDevTools();
  return (
    <section className="space-y-6">
      <LiveRefresh url="/api/dev/events" types={["webhook.status"]} />
      <div>
        <h1 className="text-2xl font-semibold">Webhook inbox</h1>
        <p className="mt-1 text-sm text-stone-600">
          The 50 newest events, as stored before processing. Failed events retry with backoff; dead ones wait for a
          replay.
        </p>
      </div>
      <Suspense fallback={<p className="text-sm text-stone-600">Loading events…</p>}>
        <WebhookEventTable />
      </Suspense>
    </section>
  );
}

async function WebhookEventTable() {
  await connection(); // Always the current rows, never a build-time snapshot.
  const events = await listRecentWebhookEvents(db);
  if (events.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-stone-300 bg-white p-8 text-center text-stone-600">
        No webhook events yet. They appear here as soon as a provider delivers one.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
      <table className="min-w-full divide-y divide-stone-200 text-sm">
        <thead className="bg-stone-50 text-left text-xs font-medium uppercase tracking-wide text-stone-600">
          <tr>
            <th scope="col" className="px-4 py-3">
              Event
            </th>
            <th scope="col" className="px-4 py-3">
              Status
            </th>
            <th scope="col" className="px-4 py-3 text-right">
              Attempts
            </th>
            <th scope="col" className="px-4 py-3">
              Received / processed
            </th>
            <th scope="col" className="px-4 py-3">
              <span className="sr-only">Replay</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-200 align-top">
          {events.map((event) => (
            <WebhookEventRow key={event.id} event={event} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WebhookEventRow({ event }: { event: WebhookEvent }) {
  return (
    <tr>
      <td className="max-w-md px-4 py-3">
        <p className="font-medium">
          <span className="text-stone-500">{event.provider}</span> · {event.type}
        </p>
        <p className="break-all font-mono text-xs text-stone-500">{event.eventId}</p>
        {event.lastError && (
          <p className="mt-2 break-words rounded bg-red-50 px-2 py-1 text-xs text-red-800">
            <span className="font-medium">Last error:</span> {event.lastError}
          </p>
        )}
        <details className="mt-2">
          <summary className="cursor-pointer text-xs text-emerald-800 hover:underline">Payload</summary>
          <pre className="mt-2 max-h-80 overflow-auto rounded bg-stone-900 p-3 text-xs text-stone-100">
            {JSON.stringify(event.payload, null, 2)}
          </pre>
        </details>
      </td>
      <td className="px-4 py-3">
        <StatusBadge status={event.status} />
        {event.status === "failed" && event.nextAttemptAt && (
          <p className="mt-1 text-xs text-stone-500">
            retry after <Timestamp date={event.nextAttemptAt} />
          </p>
        )}
      </td>
      <td className="px-4 py-3 text-right tabular-nums">{event.attempts}</td>
      <td className="whitespace-nowrap px-4 py-3 text-xs text-stone-600">
        <Timestamp date={event.receivedAt} />
        <br />
        {event.processedAt ? <Timestamp date={event.processedAt} /> : "—"}
      </td>
      <td className="px-4 py-3">
        <ReplayButton id={event.id} eventId={event.eventId} />
      </td>
    </tr>
  );
}

const statusStyles: Record<WebhookEventStatus, string> = {
  pending: "bg-stone-100 text-stone-700",
  processing: "bg-sky-100 text-sky-800",
  processed: "bg-emerald-100 text-emerald-800",
  failed: "bg-amber-100 text-amber-800",
  dead: "bg-red-100 text-red-800",
};

function StatusBadge({ status }: { status: WebhookEventStatus }) {
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${statusStyles[status]}`}>{status}</span>;
}

const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

function Timestamp({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{timeFormat.format(date)} UTC</time>;
}
