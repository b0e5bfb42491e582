import type { Metadata } from "next";
import { Timestamp } from "@/app/_components/timestamp";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireOperator, systemHealth } from "@/lib/admin";
import { db } from "@/lib/db";
import { AdminNav } from "../admin-nav";

export const metadata: Metadata = { title: "Health · Admin", robots: { index: false } };

function Figure({ label, value, alarm = false }: { label: string; value: number | string; alarm?: boolean }) {
  return (
    <div className="rounded-md border border-stone-200 bg-white p-3">
      <dt className="text-xs text-stone-600">{label}</dt>
      <dd className={alarm ? "text-xl font-semibold text-red-800" : "text-xl font-semibold"}>{value}</dd>
    </div>
  );
}

type Failure = { id: string | number; name: string; attempts: number; lastError: string | null; at: Date };

/** What ran out of attempts (webhook events, emails): what it was, its last error, when it came. */
function FailureTable({ label, what, when, rows }: { label: string; what: string; when: string; rows: Failure[] }) {
  if (rows.length === 0) return null;
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead>{what}</TableHead>
          <TableHead>Last error</TableHead>
          <TableHead>{when}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id}>
            <TableCell>
              {row.name}
              <span className="block text-xs text-stone-600">{row.attempts} attempts</span>
            </TableCell>
            <TableCell className="break-all">{row.lastError ?? "none recorded"}</TableCell>
            <TableCell>
              <Timestamp date={row.at} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const endpointState = { gone: "off: answered 410 Gone", failing: "off: failed for 5 days", manual: "off" } as const;

/** The system's health for operators: the webhook inbox, email, outbound endpoints and today's AI usage. */
export default async function AdminHealthPage() {
  await requireOperator();
  const health = await systemHealth(db);
  const { inbox, emails, endpoints, ai } = health;
  return (
    <div className="space-y-6">
      <AdminNav current="health" />
      <h1 className="text-2xl font-semibold">Health</h1>

      <Card>
        <CardHeader>
          <CardTitle>Webhook inbox</CardTitle>
          <CardDescription>
            Stripe and Resend events received and not yet processed, and those that ran out of attempts.
            {inbox.oldestWaitingSince && (
              <>
                {" "}
                Oldest waiting since <Timestamp date={inbox.oldestWaitingSince} />.
              </>
            )}
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <dl aria-label="Webhook inbox" className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            <Figure label="Pending" value={inbox.pending} />
            <Figure label="Processing" value={inbox.processing} />
            <Figure label="Failed, to retry" value={inbox.failed} alarm={inbox.failed > 0} />
            <Figure label="Dead" value={inbox.dead} alarm={inbox.dead > 0} />
          </dl>
          <FailureTable
            label="Dead events"
            what="Event"
            when="Received"
            rows={inbox.deadEvents.map((event) => ({
              ...event,
              name: `${event.provider} ${event.type}`,
              at: event.receivedAt,
            }))}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Email</CardTitle>
          <CardDescription>Emails that could not be sent after their attempts.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <dl aria-label="Email" className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            <Figure label="Failed" value={emails.failed} alarm={emails.failed > 0} />
          </dl>
          <FailureTable
            label="Failed emails"
            what="Template"
            when="Created"
            rows={emails.failing.map((email) => ({ ...email, name: email.template, at: email.createdAt }))}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Outbound webhook endpoints</CardTitle>
          <CardDescription>Teams&apos; endpoints that are failing, or that the app turned off.</CardDescription>
        </CardHeader>
        <CardContent>
          {endpoints.length === 0 ? (
            <p className="text-sm text-stone-600">Every endpoint is answering.</p>
          ) : (
            <ul aria-label="Failing endpoints" className="divide-y divide-stone-200">
              {endpoints.map((endpoint) => (
                <li key={endpoint.id} className="space-y-1 py-2 text-sm">
                  <p className="font-medium break-all">{endpoint.url}</p>
                  <p className="text-stone-600">
                    team /t/{endpoint.teamSlug} ·{" "}
                    {!endpoint.enabled ? (
                      endpointState[endpoint.disabledReason ?? "manual"]
                    ) : endpoint.failingSince ? (
                      <>
                        failing since <Timestamp date={endpoint.failingSince} />
                      </>
                    ) : null}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>AI usage today</CardTitle>
          <CardDescription>
            Since <Timestamp date={ai.since} />.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <dl aria-label="AI usage today" className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            <Figure label="Calls" value={ai.calls} />
            <Figure label="Succeeded" value={ai.succeeded} />
            <Figure label="Failed" value={ai.failed} alarm={ai.failed > 0} />
            <Figure label="Aborted" value={ai.aborted} />
          </dl>
          {ai.byModel.length > 0 && (
            <Table aria-label="AI usage by model">
              <TableHeader>
                <TableRow>
                  <TableHead>Model</TableHead>
                  <TableHead>Calls</TableHead>
                  <TableHead>Tokens in / out</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {ai.byModel.map((row) => (
                  <TableRow key={row.model}>
                    <TableCell className="break-all">{row.model}</TableCell>
                    <TableCell>{row.calls}</TableCell>
                    <TableCell>
                      {row.inputTokens} / {row.outputTokens}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
