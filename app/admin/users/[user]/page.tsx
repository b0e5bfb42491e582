import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Timestamp } from "@/app/_components/timestamp";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { describeDevice, knownAddress } from "@/lib/account/sessions";
import { requireOperator, userDetail } from "@/lib/admin";
import { isOperator } from "@/lib/auth/operators";
import { db } from "@/lib/db";
import { AdminNav } from "../../admin-nav";
import { BanForm, ImpersonateForm, UnbanForm } from "../../forms";

export const metadata: Metadata = { title: "User · Admin", robots: { index: false } };

/** One user for an operator: the account, its teams and sessions, and ban, unban and impersonate. */
export default async function AdminUserPage({ params }: { params: Promise<{ user: string }> }) {
  const operator = await requireOperator();
  const { user: userId } = await params;
  const found = await userDetail(db, userId);
  if (!found) notFound();
  const self = found.id === operator.user.id;
  const anOperator = isOperator(found);

  return (
    <div className="space-y-6">
      <AdminNav current="search" />
      <div>
        <h1 className="text-2xl font-semibold break-all">{found.email}</h1>
        <p className="text-stone-600">{found.name}</p>
        <div className="mt-2 flex flex-wrap gap-2">
          {found.banned && <Badge variant="danger">banned</Badge>}
          {found.emailVerified ? (
            <Badge variant="success">confirmed</Badge>
          ) : (
            <Badge variant="warning">unconfirmed</Badge>
          )}
          {anOperator && <Badge variant="info">operator</Badge>}
          <span className="text-sm text-stone-600">
            joined <Timestamp date={found.createdAt} />
          </span>
        </div>
      </div>

      {found.banned && (
        <Alert variant="destructive">
          Banned
          {found.banExpires ? (
            <>
              {" "}
              until <Timestamp date={found.banExpires} />
            </>
          ) : null}
          . Reason: {found.banReason ?? "none given"}
        </Alert>
      )}

      <Card>
        <CardHeader>
          <CardTitle>Teams</CardTitle>
        </CardHeader>
        <CardContent>
          {found.teams.length === 0 ? (
            <p className="text-sm text-stone-600">No team.</p>
          ) : (
            <ul aria-label="Teams" className="divide-y divide-stone-200">
              {found.teams.map((team) => (
                <li key={team.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <Link href={`/admin/teams/${team.id}`} className="break-all underline">
                    {team.name}
                  </Link>
                  <span className="text-sm text-stone-600">{team.personal ? "personal" : team.role}</span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Sessions</CardTitle>
          <CardDescription>
            The account&apos;s sessions that have not expired, most recently seen first.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {found.sessions.length === 0 ? (
            <p className="text-sm text-stone-600">No open session.</p>
          ) : (
            <ul aria-label="Sessions" className="divide-y divide-stone-200">
              {found.sessions.map((open) => (
                <li key={open.id} className="space-y-1 py-2 text-sm">
                  <p className="font-medium">
                    {describeDevice(open.userAgent)}
                    {open.impersonatedBy && (
                      <Badge variant="warning" className="ml-2">
                        impersonation
                      </Badge>
                    )}
                  </p>
                  <p className="text-stone-600">
                    {knownAddress(open.ipAddress) ?? "address unknown"} · seen <Timestamp date={open.lastSeenAt} /> ·
                    expires <Timestamp date={open.expiresAt} />
                  </p>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Recent audit events</CardTitle>
          <CardDescription>What this account did and what was done to it, newest first (the last 20).</CardDescription>
        </CardHeader>
        <CardContent>
          {found.recentEvents.length === 0 ? (
            <p className="text-sm text-stone-600">Nothing recorded yet.</p>
          ) : (
            <ul aria-label="Recent audit events" className="divide-y divide-stone-200">
              {found.recentEvents.map((event) => (
                <li key={event.id} className="space-y-1 py-2 text-sm">
                  <p className="font-medium">{event.action}</p>
                  <p className="break-all text-stone-600">
                    by {event.actorLabel}
                    {event.targetType && event.targetId && event.targetId !== found.id && (
                      <>
                        {" "}
                        · {event.targetType} {event.targetId}
                      </>
                    )}
                    {event.ip && <> · {event.ip}</>} · <Timestamp date={event.occurredAt} />
                  </p>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      {!self && !anOperator && (
        <Card>
          <CardHeader>
            <CardTitle>Act on this account</CardTitle>
          </CardHeader>
          <CardContent className="space-y-6">
            {found.banned ? (
              <UnbanForm userId={found.id} />
            ) : (
              <>
                <ImpersonateForm userId={found.id} email={found.email} />
                <BanForm userId={found.id} email={found.email} />
              </>
            )}
          </CardContent>
        </Card>
      )}
    </div>
  );
}
