import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Developer tools", robots: { index: false } };

const tools = [
  {
    href: "/dev/emails",
    title: "Emails",
    text: "The outbox (every email queued, rendered), statuses, the suppression list, simulated Resend events.",
  },
  {
    href: "/dev/webhooks",
    title: "Webhook inbox",
    text: "Every stored provider event with its status, attempts, last error and raw payload, and a replay button.",
  },
  {
    href: "/dev/stripe",
    title: "Stripe simulator",
    text: "Signed checkout, payment-failure and cancellation events for the signed-in user: Free to Pro and back without an account.",
  },
  {
    href: "/dev/observability",
    title: "Observability",
    text: "Where errors, product events and logs go with these settings, and a button that throws a test error.",
  },
];

/** The index of the developer tools (the layout already 404s in production unless ENABLE_DEV_TOOLS=1). */
export default function DevToolsPage() {
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Developer tools</h1>
      <ul className="grid gap-4 sm:grid-cols-3">
        {tools.map((tool) => (
          <li key={tool.href} className="rounded-lg border border-stone-200 bg-white p-4">
            <Link href={tool.href} className="font-medium text-emerald-800 underline">
              {tool.title}
            </Link>
            <p className="mt-1 text-sm text-stone-600">{tool.text}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
