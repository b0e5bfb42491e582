import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Button, buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { auditActions, auditAreas, listAuditEvents } from "@/lib/audit";
import { auditFiltersFromSearch, auditSearchString } from "@/lib/audit/page-filters";
import { formatDateTime } from "@/lib/core/format";
import { db } from "@/lib/db";
import type { AuditEventRow } from "@/lib/db/schema";
import { can } from "@/lib/teams/permissions";
import { currentTeam } from "../current-team";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

const actorKinds = { user: "", api_key: "API key", system: "system", provider: "provider" } as const;

/**
 * The team's audit log, for its owners and admins: newest first, filtered by actor, action and days,
 * 50 at a time, with the same filters exported as CSV or JSON. A GET form: every filtered view has an
 * address to share, and the page needs no script.
 */
export default async function AuditLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { team } = await currentTeam(params, "/audit");
  if (!can(team.role, "audit:read")) notFound();
  const { filters, before, values } = auditFiltersFromSearch(await searchParams);
  const page = await listAuditEvents(db, team.id, filters, { limit: PAGE_SIZE, before });
  const base = `/t/${team.slug}/audit`;
  const filtered = Boolean(values.actor || values.action || values.from || values.to);

  return (
    <section className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="mt-1 text-sm text-stone-600">
          Who changed what in this team, when and from where: members, API keys, billing and the system. Events cannot
          be edited or removed; each carries the hash of the one before it, so a gap or a change shows.
        </p>
      </div>

      <form
        method="get"
        action={base}
        aria-label="Filter the audit log"
        className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5"
      >
        <div className="space-y-1">
          <Label htmlFor="audit-actor">Actor</Label>
          <Input id="audit-actor" name="actor" defaultValue={values.actor} placeholder="Name, address or id" />
        </div>
        <div className="space-y-1">
          <Label htmlFor="audit-action">Action</Label>
          <select
            id="audit-action"
            name="action"
            defaultValue={values.action}
            className="block min-h-11 w-full rounded-md border border-input bg-card px-3 py-2 text-base sm:text-sm"
          >
            <option value="">Any action</option>
            {auditAreas.map((area) => (
              <optgroup key={area} label={area}>
                <option value={area}>Any {area} action</option>
                {auditActions
                  .filter((action) => action.startsWith(`${area}.`))
                  .map((action) => (
                    <option key={action} value={action}>
                      {action}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <Label htmlFor="audit-from">From</Label>
          <Input id="audit-from" name="from" type="date" defaultValue={values.from} />
        </div>
        <div className="space-y-1">
          <Label htmlFor="audit-to">To</Label>
          <Input id="audit-to" name="to" type="date" defaultValue={values.to} />
        </div>
        <div className="flex items-end gap-2">
          <Button type="submit">Filter</Button>
          {filtered && (
            <Link href={base} className={buttonVariants({ variant: "ghost" })}>
              Clear
            </Link>
          )}
        </div>
      </form>

      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-stone-600">Export {filtered ? "these events" : "the log"}:</span>
        <a
          href={`${base}/export${auditSearchString(values, { format: "csv" })}`}
          className={buttonVariants({ variant: "secondary" })}
          download
        >
          CSV
        </a>
        <a
          href={`${base}/export${auditSearchString(values, { format: "json" })}`}
          className={buttonVariants({ variant: "secondary" })}
          download
        >
          JSON
        </a>
      </div>

      {page.events.length === 0 ? (
        <p className="text-sm text-stone-600">{filtered ? "No events match these filters." : "No events yet."}</p>
      ) : (
        <ol aria-label="Audit events" className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {page.events.map((event) => (
            <AuditEventItem key={event.id} event={event} />
          ))}
        </ol>
      )}

      <nav aria-label="Pages" className="flex gap-2">
        {before !== undefined && (
          <Link href={`${base}${auditSearchString(values)}`} className={buttonVariants({ variant: "secondary" })}>
            Newest
          </Link>
        )}
        {page.next !== null && (
          <Link
            href={`${base}${auditSearchString(values, { before: String(page.next) })}`}
            className={buttonVariants({ variant: "secondary" })}
          >
            Older events
          </Link>
        )}
      </nav>
    </section>
  );
}

function AuditEventItem({ event }: { event: AuditEventRow }) {
  const kind = actorKinds[event.actorType];
  const details = Object.entries(event.metadata);
  return (
    <li className="space-y-1 p-4" data-action={event.action}>
      <p className="flex flex-wrap items-baseline gap-x-2">
        <code className="text-sm font-medium text-stone-900">{event.action}</code>
        <span className="text-sm break-words text-stone-700">
          by {event.actorLabel}
          {kind && <span className="text-stone-500"> ({kind})</span>}
        </span>
      </p>
      <p className="text-xs text-stone-500">
        <time dateTime={event.occurredAt.toISOString()}>{formatDateTime(event.occurredAt)}</time>
        {event.targetType && (
          <>
            {" · "}
            {event.targetType} <code className="break-all">{event.targetId}</code>
          </>
        )}
        {event.ip && <> · from {event.ip}</>}
      </p>
      {(details.length > 0 || event.userAgent || event.requestId) && (
        <details className="text-xs text-stone-600">
          <summary className="inline-flex min-h-11 min-w-11 cursor-pointer items-center pr-2">Details</summary>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            {details.map(([key, value]) => (
              <Detail key={key} term={key} value={typeof value === "string" ? value : JSON.stringify(value)} />
            ))}
            {event.userAgent && <Detail term="user agent" value={event.userAgent} />}
            {event.requestId && <Detail term="request id" value={event.requestId} />}
          </dl>
        </details>
      )}
    </li>
  );
}

function Detail({ term, value }: { term: string; value: string }) {
  return (
    <>
      <dt className="font-medium">{term}</dt>
      <dd className="break-all">{value}</dd>
    </>
  );
}
