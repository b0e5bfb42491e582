import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { EmptyState } from "@/app/_components/empty-state";
import { Timestamp } from "@/app/_components/timestamp";
import { Badge, type badgeVariants } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { Email } from "@/lib/db/schema";
import { db } from "@/lib/db";
import { requireDevTools } from "@/lib/dev-tools";
import { listRecentEmails, listSuppressions } from "@/lib/email/outbox";
import { resendConfigured } from "@/lib/email/resend";
import { renderPreviews } from "@/lib/email/templates";
import type { VariantProps } from "class-variance-authority";
import { RefreshEvery } from "../refresh-every";
import { EmailPreview } from "./email-preview";
import { SimulateButtons } from "./simulate-buttons";

export const metadata: Metadata = { title: "Emails", robots: { index: false } };

export default function EmailsPage() {
  requireDevTools();
  return (
    <section className="space-y-6">
      <RefreshEvery seconds={2} />
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Emails</h1>
        <p className="text-sm text-muted-foreground">
          Every email the app queued, newest first.{" "}
          {resendConfigured
            ? "Sent through Resend."
            : "RESEND_API_KEY is unset, so they are kept here (the dev outbox) instead of sent."}
        </p>
      </div>
      <Tabs defaultValue="outbox">
        <TabsList aria-label="Emails and templates">
          <TabsTrigger value="outbox">Outbox</TabsTrigger>
          <TabsTrigger value="templates">Templates</TabsTrigger>
        </TabsList>
        <TabsContent value="outbox" className="space-y-6">
          <Suspense fallback={<p className="text-sm text-muted-foreground">Loading emails…</p>}>
            <EmailList />
          </Suspense>
        </TabsContent>
        <TabsContent value="templates">
          <Suspense fallback={<p className="text-sm text-muted-foreground">Rendering templates…</p>}>
            <TemplatePreviews />
          </Suspense>
        </TabsContent>
      </Tabs>
    </section>
  );
}

const statusVariant: Record<Email["status"], VariantProps<typeof badgeVariants>["variant"]> = {
  queued: "neutral",
  sent: "info",
  delivered: "success",
  bounced: "danger",
  complained: "danger",
  failed: "warning",
  suppressed: "neutral",
};

async function EmailList() {
  await connection(); // Always the current rows, never a build-time snapshot.
  const [emails, suppressions] = await Promise.all([listRecentEmails(db), listSuppressions(db)]);
  return (
    <>
      {emails.length === 0 ? (
        <EmptyState>No emails yet. Sign up, ask for a magic link, or send the contact form.</EmptyState>
      ) : (
        <ul className="space-y-4" aria-label="Emails">
          {emails.map((email) => (
            <EmailCard key={email.id} email={email} />
          ))}
        </ul>
      )}
      <div className="space-y-2">
        <h2 className="text-lg font-medium">Suppression list</h2>
        {suppressions.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            Nobody is suppressed. Simulate a bounce to see an address land here.
          </p>
        ) : (
          <Card className="p-2 sm:p-2">
            <Table aria-label="Suppressed addresses">
              <TableHeader>
                <TableRow>
                  <TableHead>Address</TableHead>
                  <TableHead>Reason</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {suppressions.map((entry) => (
                  <TableRow key={entry.email}>
                    <TableCell className="font-mono break-all">{entry.email}</TableCell>
                    <TableCell>{entry.reason}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Card>
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
    <ul className="space-y-2" aria-label="Email templates">
      {previews.map((preview) => (
        <Card asChild key={preview.name} className="p-3 sm:p-3">
          <li data-template={preview.name} className="flex flex-wrap items-center justify-between gap-2">
            <p className="min-w-0 text-sm break-words">
              <span className="font-mono">{preview.name}</span> · {preview.subject}
            </p>
            <EmailPreview
              label="Preview"
              title={`Template: ${preview.name}`}
              subject={preview.subject}
              html={preview.html}
            />
          </li>
        </Card>
      ))}
    </ul>
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
  "team-invitation": { prop: "url", label: "Open the invitation" },
};

function EmailCard({ email }: { email: Email }) {
  const link = emailLinks[email.template];
  const href = link && (email.props as Record<string, unknown>)[link.prop];
  return (
    <Card asChild className="space-y-2">
      <li data-template={email.template}>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <p className="min-w-0 font-medium break-words">{email.subject}</p>
          <Badge variant={statusVariant[email.status]} data-status={email.status}>
            {email.status}
          </Badge>
        </div>
        <p className="text-sm break-words text-muted-foreground">
          to <span className="font-mono break-all">{email.to}</span> · {email.template} ·{" "}
          {email.transport ?? "not sent yet"} · attempts {email.attempts} · <Timestamp date={email.createdAt} />
        </p>
        {email.lastError && (
          <p className="rounded bg-red-50 px-2 py-1 text-xs break-words text-red-800">Last error: {email.lastError}</p>
        )}
        <div className="flex flex-wrap items-start gap-2">
          {link && typeof href === "string" && (
            <Button asChild>
              <a href={href}>{link.label}</a>
            </Button>
          )}
          {email.html && (
            <EmailPreview label="Show the email" title={`To ${email.to}`} subject={email.subject} html={email.html} />
          )}
          {email.providerId && ["sent", "delivered"].includes(email.status) && <SimulateButtons emailId={email.id} />}
        </div>
      </li>
    </Card>
  );
}
