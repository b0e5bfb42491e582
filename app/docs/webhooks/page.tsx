import type { Metadata } from "next";
import { sampleWebhookPayload, webhookEventCatalog, webhookEventTypes } from "@/lib/webhooks-out/catalog";

export const metadata: Metadata = { title: "Webhook events" };

const verifySnippet = `import { Webhook } from "standardwebhooks";

const wh = new Webhook(process.env.WEBHOOK_SECRET); // whsec_…
export async function POST(req: Request) {
  const body = await req.text(); // the raw body: verify before parsing
  const event = wh.verify(body, Object.fromEntries(req.headers)); // throws when forged or stale
  // Dedupe on the webhook-id header: a retry carries the same one.
  return new Response(null, { status: 204 });
}`;

/** The event catalog for the teams' developers: every type, what it means, and a sample body. Public, static. */
export default function WebhookEventsPage() {
  return (
    <article className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">Webhook events</h1>
      <p className="text-stone-700">
        Each event is a <code>POST</code> of JSON <code>{"{type, timestamp, data}"}</code>, signed as{" "}
        <a href="https://www.standardwebhooks.com/" className="underline">
          Standard Webhooks
        </a>{" "}
        specify: <code>webhook-id</code> (the same on every retry: dedupe on it), <code>webhook-timestamp</code> and{" "}
        <code>webhook-signature</code>. Answer with a 2xx within 15 seconds; anything else is retried at once, after 5
        s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h. <code>410 Gone</code> turns the endpoint off.
      </p>
      <pre className="overflow-auto rounded bg-stone-100 p-3 text-xs">{verifySnippet}</pre>
      {webhookEventTypes.map((type) => (
        <section key={type} id={type} className="space-y-2">
          <h2 className="text-lg font-semibold">
            <code>{type}</code>
          </h2>
          <p className="text-stone-700">{webhookEventCatalog[type].description}</p>
          <pre className="overflow-auto rounded bg-stone-100 p-3 text-xs">
            {JSON.stringify(sampleWebhookPayload(type), null, 2)}
          </pre>
        </section>
      ))}
    </article>
  );
}
