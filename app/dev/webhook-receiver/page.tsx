import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { env } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/format";
import { DEV_RECEIVER_PATH, listDevWebhookArrivals, requireDevTools } from "@/lib/dev-tools";
import { RefreshEvery } from "../refresh-every";

export const metadata: Metadata = { title: "Webhook receiver", robots: { index: false } };

export default function WebhookReceiverPage() {
  requireDevTools();
  return (
    <section className="space-y-6">
      <RefreshEvery seconds={2} />
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Webhook receiver</h1>
        <p className="text-sm text-stone-600">
          A receiver for this app&apos;s own outbound webhooks. Add an endpoint on a team&apos;s Webhooks page with this
          URL; every delivery is verified with the <code>standardwebhooks</code> library and the endpoint&apos;s secret,
          and listed here. Add <code>?status=503</code> to the URL to watch retries.
        </p>
        <label htmlFor="receiver-url" className="block text-sm font-medium">
          Endpoint URL
        </label>
        <input
          id="receiver-url"
          readOnly
          value={`${env.appUrl}${DEV_RECEIVER_PATH}`}
          className="block w-full rounded-md border border-stone-300 bg-white px-3 py-2 font-mono text-sm"
        />
      </div>
      <Suspense fallback={<p className="text-sm text-stone-600">Loading…</p>}>
        <Arrivals />
      </Suspense>
    </section>
  );
}

async function Arrivals() {
  await connection();
  const arrivals = listDevWebhookArrivals();
  if (arrivals.length === 0)
    return (
      <p className="rounded-lg border border-dashed border-stone-300 bg-white p-8 text-center text-stone-600">
        Nothing has arrived yet.
      </p>
    );
  return (
    <ul aria-label="Arrivals" className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
      {arrivals.map((arrival, i) => (
        <li key={`${arrival.webhookId}-${i}`} className="space-y-1 p-4 text-sm">
          <p>
            <code className="font-medium">{arrival.type || "(no type)"}</code> ·{" "}
            <code className="text-xs">{arrival.webhookId}</code> · {formatDateTime(arrival.receivedAt)}
          </p>
          <p>
            {arrival.verified ? (
              <span className="font-medium text-emerald-800">Signature verified</span>
            ) : (
              <span className="font-medium text-red-800">Not verified: {arrival.reason}</span>
            )}{" "}
            · answered {arrival.answered}
          </p>
          <details>
            <summary className="cursor-pointer text-stone-600">Body</summary>
            <pre className="mt-1 max-h-64 overflow-auto rounded bg-stone-100 p-2 text-xs whitespace-pre-wrap">
              {arrival.body}
            </pre>
          </details>
        </li>
      ))}
    </ul>
  );
}
