import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import type { VariantProps } from "class-variance-authority";
import { EmptyState } from "@/app/_components/empty-state";
import { Timestamp } from "@/app/_components/timestamp";
import { Badge, type badgeVariants } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import type { WebhookEvent, WebhookEventStatus } from "@/lib/db/schema";
import { requireDevTools } from "@/lib/dev-tools";
import { listRecentWebhookEvents } from "@/lib/webhooks";
import { RefreshEvery } from "../refresh-every";
import { ReplayButton } from "./replay-button";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Webhook inbox", robots: { index: false } };

export default function WebhookInboxPage() {
  requireDevTools();
  return (
    <section className="space-y-6">
      <RefreshEvery seconds={2} />
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Webhook inbox</h1>
        <p className="text-sm text-muted-foreground">
          The 50 newest events, as stored before processing. Failed events retry with backoff; dead ones wait for a
          replay.
        </p>
      </div>
      <Suspense fallback={<p className="text-sm text-muted-foreground">Loading events…</p>}>
        <WebhookEventTable />
      </Suspense>
    </section>
  );
}

async function WebhookEventTable() {
  await connection(); // Always the current rows, never a build-time snapshot.
  const events = await listRecentWebhookEvents(db);
  if (events.length === 0) {
    return <EmptyState>No webhook events yet. They appear here as soon as a provider delivers one.</EmptyState>;
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
    <Card asChild className="space-y-2 text-sm">
      <li>
        <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
          <div className="min-w-0">
            <p className="font-medium break-words">
              <span className="text-muted-foreground">{event.provider}</span> · {event.type}
            </p>
            <p className="font-mono text-xs break-all text-muted-foreground">{event.eventId}</p>
          </div>
          <div className="flex shrink-0 items-center gap-3">
            <Badge variant={statusVariant[event.status]}>{event.status}</Badge>
            <ReplayButton id={event.id} eventId={event.eventId} />
          </div>
        </div>
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-xs text-muted-foreground">
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
          <p className="rounded bg-red-50 px-2 py-1 text-xs break-words text-red-800">
            <span className="font-medium">Last error:</span> {event.lastError}
          </p>
        )}
        <details>
          <summary className="flex min-h-11 cursor-pointer items-center text-xs text-link hover:underline">
            Payload
          </summary>
          {/* Its own scroll, downwards only: a long payload does not push the next events away. */}
          <CodeBlock className="max-h-80 overflow-y-auto">{JSON.stringify(event.payload, null, 2)}</CodeBlock>
        </details>
      </li>
    </Card>
  );
}

const statusVariant: Record<WebhookEventStatus, VariantProps<typeof badgeVariants>["variant"]> = {
  pending: "neutral",
  processing: "info",
  processed: "success",
  failed: "warning",
  dead: "danger",
};
