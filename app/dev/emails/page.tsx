import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import type { Email } from "@/lib/db/schema";
import { requireDevTools } from "@/lib/dev-tools";
import { listRecentEmails, listSuppressions } from "@/lib/email/outbox";
import { renderPreviews } from "@/lib/email/templates";
import { resendConfigured } from "@/lib/resend";
import { LiveRefresh } from "@/app/_components/live-refresh";
import { SimulateButtons } from "./simulate-buttons";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Emails", robots: { index: false } };

export default function EmailsPage() {
  requireDevTools();
  return (
    <section className="space-y-6">
      <LiveRefresh url="/api/dev/events" types={["email.status"]} />
      <div>
        <h1 className="text-2xl font-semibold">Emails</h1>
        <p className="mt-1 text-sm text-stone-600">
          Every email the app queued, newest first.{" "}
          {resendConfigured
            ? "Sent through Resend."
            : "RESEND_API_KEY is unset, so they are kept here (the dev outbox) instead of sent."}
        </p>
      </div>
      <Suspense fallback={<p className="text-sm text-stone-600">Loading emails…</p>}>
        <EmailList />
      </Suspense>
      <Suspense fallback={<p className="text-sm text-stone-600">Rendering templates…</p>}>
        <TemplatePreviews />
      </Suspense>
    </section>
  );
}

const statusStyle: Record<Email["status"], string> = {
  queued: "bg-stone-100 text-stone-700",
  sent: "bg-sky-100 text-sky-800",
  delivered: "bg-emerald-100 text-emerald-800",
  bounced: "bg-red-100 text-red-800",
  complained: "bg-red-100 text-red-800",
  failed: "bg-amber-100 text-amber-800",
  suppressed: "bg-stone-200 text-stone-700",
};

async function EmailList() {
  await connection(); // Always the current rows, never a build-time snapshot.
  const [emails, suppressions] = await Promise.all([listRecentEmails(db), listSuppressions(db)]);
  return (
    <>
      {emails.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-8 text-center text-stone-600">
          No emails yet. Sign up, ask for a magic link, or send the contact form.
        </p>
      ) : (
        <ul className="space-y-4" aria-label="Emails">
          {emails.map((email) => (
            <EmailCard key={email.id} email={email} />
          ))}
        </ul>
      )}
      <div>
        <h2 className="mb-2 text-lg font-medium">Suppression list</h2>
        {suppressions.length === 0 ? (
          <p className="text-sm text-stone-600">Nobody is suppressed. Simulate a bounce to see an address land here.</p>
        ) : (
          <ul className="text-sm" aria-label="Suppressed addresses">
            {suppressions.map((entry) => (
              <li key={entry.email}>
                <span className="font-mono">{entry.email}</span>{" "}
                <span className="text-stone-500">({entry.reason})</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

/** Every template in lib/email/templates, rendered with its sample props: see an email without triggering it. */
async function TemplatePreviews() {
  await connection();
  const previews = await renderPreviews();
  return (
    <div>
      <h2 className="mb-2 text-lg font-medium">Templates</h2>
      <ul className="space-y-2" aria-label="Email templates">
        {previews.map((preview) => (
          <li
            key={preview.name}
            className="rounded-lg border border-stone-200 bg-white p-3"
            data-template={preview.name}
          >
            <details>
              <summary className="cursor-pointer text-sm">
                <span className="font-mono">{preview.name}</span> · {preview.subject}
              </summary>
              <iframe
                title={`Template preview: ${preview.name}`}
                srcDoc={preview.html}
                sandbox=""
                className="mt-2 h-96 w-full rounded border border-stone-200 bg-white"
              />
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The emails whose button a developer follows by hand, and the prop that holds its link. */
const emailLinks: Record<string, { prop: string; label: string }> = {
  "magic-link": { prop: "url", label: "Open the sign-in link" },
  "verify-email": { prop: "url", label: "Open the confirmation link" },
  "account-exists": { prop: "signInUrl", label: "Open the sign-in page" },
  "reset-password": { prop: "url", label: "Open the reset link" },
  "finish-sign-up": { prop: "url", label: "Choose the password" },
  "email-change-requested": { prop: "url", label: "Approve the change" },
  "verify-new-email": { prop: "url", label: "Confirm the new address" },
};

function EmailCard({ email }: { email: Email }) {
  const link = emailLinks[email.template];
  const href = link && (email.props as Record<string, unknown>)[link.prop];
  return (
    <li className="rounded-lg border border-stone-200 bg-white p-4" data-template={email.template}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="font-medium">{email.subject}</p>
        <span className={`rounded-full px-2 py-0.5 text-xs ${statusStyle[email.status]}`} data-status={email.status}>
          {email.status}
        </span>
      </div>
      <p className="text-sm text-stone-600">
        to <span className="font-mono">{email.to}</span> · {email.template} · {email.transport ?? "not sent yet"} ·
        attempts {email.attempts} · {email.createdAt.toLocaleString("en-GB", { timeZone: "UTC" })} UTC
      </p>
      {email.lastError && (
        <p className="mt-1 rounded bg-red-50 px-2 py-1 text-xs text-red-800">Last error: {email.lastError}</p>
      )}
      {link && typeof href === "string" && (
        <p className="mt-2">
          <a href={href} className="font-medium text-emerald-800 underline">
            {link.label}
          </a>
        </p>
      )}
      {email.html && (
        <details className="mt-2">
          <summary className="cursor-pointer text-sm text-emerald-800 hover:underline">Show the email</summary>
          {/* Sandboxed: the email's HTML cannot run scripts or touch this page. */}
          <iframe
            title={`Email: ${email.subject}`}
            srcDoc={email.html}
            sandbox=""
            className="mt-2 h-96 w-full rounded border border-stone-200 bg-white"
          />
        </details>
      )}
      {email.providerId && ["sent", "delivered"].includes(email.status) && (
        <div className="mt-3">
          <SimulateButtons emailId={email.id} />
        </div>
      )}
    </li>
  );
}
