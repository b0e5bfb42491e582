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
  // A list of cards, not a table: a payload opens inside its own card and scrolls there, so nothing is pushed
  // off screen, and the page reads at 390 px as at full width.
  return (
    <ul aria-label="Webhook events" className="space-y-3">
      {events.map((event) => (
        <WebhookEventItem key={event.id} event={event} />
      ))}
    </ul>
  );
}

function WebhookEventItem({ event }: { event: WebhookEvent }) {
  return (
    <li className="min-w-0 rounded-lg border border-stone-200 bg-white p-4 text-sm">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0">
          <p className="font-medium">
            <span className="text-stone-500">{event.provider}</span> · {event.type}
          </p>
          <p className="break-all font-mono text-xs text-stone-500">{event.eventId}</p>
        </div>
        <div className="flex shrink-0 items-center gap-3">
          <StatusBadge status={event.status} />
          <ReplayButton id={event.id} eventId={event.eventId} />
        </div>
      </div>
      <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-xs text-stone-600">
        <div>
          <dt className="inline">Attempts: </dt>
          <dd className="inline tabular-nums">{event.attempts}</dd>
        </div>
        <div>
          <dt className="inline">Received: </dt>
          <dd className="inline">
            <Timestamp date={event.receivedAt} />
          </dd>
        </div>
        <div>
          <dt className="inline">Processed: </dt>
          <dd className="inline">{event.processedAt ? <Timestamp date={event.processedAt} /> : "—"}</dd>
        </div>
        {event.status === "failed" && event.nextAttemptAt && (
          <div>
            <dt className="inline">Retry after: </dt>
            <dd className="inline">
              <Timestamp date={event.nextAttemptAt} />
            </dd>
          </div>
        )}
      </dl>
      {event.lastError && (
        <p className="mt-2 break-words rounded bg-red-50 px-2 py-1 text-xs text-red-800">
          <span className="font-medium">Last error:</span> {event.lastError}
        </p>
      )}
      <details className="mt-2">
        <summary className="cursor-pointer text-xs text-emerald-800 hover:underline">Payload</summary>
        <pre className="mt-2 max-h-80 overflow-auto whitespace-pre-wrap break-all rounded bg-stone-900 p-3 text-xs text-stone-100">
          {JSON.stringify(event.payload, null, 2)}
        </pre>
      </details>
    </li>
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
