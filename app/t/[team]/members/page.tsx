import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { db } from "@/lib/db";
import { formatDateTime } from "@/lib/core/format";
import { listMembers, listPendingInvitations } from "@/lib/teams";
import { can } from "@/lib/teams/permissions";
import { currentTeam } from "../current-team";
import { InviteForm, MemberActions, RevokeInvitationButton } from "./forms";

export const metadata: Metadata = { title: "Members" };

const PAGE_SIZE = 50;

/** The team's members (a page at a time: a team may have hundreds) and its pending invitations. */
export default async function MembersPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { user, team } = await currentTeam(params, "/members");
  if (team.personal) notFound();
  const page = Math.max(1, Number((await searchParams).page) || 1);
  const manages = can(team.role, "members:manage");
  const [{ members, total }, invitations] = await Promise.all([
    listMembers(db, team.id, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    manages ? listPendingInvitations(db, team.id) : [],
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <section className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Members</h1>
        <p className="text-sm text-stone-600">
          {total} {total === 1 ? "member" : "members"}. Owners manage billing and the team itself; admins manage
          members, invitations and everyone&apos;s recipes; members write and edit their own.
        </p>
      </div>

      {manages && <InviteForm canInviteOwners={team.role === "owner"} />}

      <ul aria-label="Members" className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
        {members.map((entry) => (
          <li key={entry.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
            <div className="min-w-0">
              <p className="font-medium break-words">
                {entry.name} {entry.userId === user.id && <span className="text-sm text-stone-500">(you)</span>}
              </p>
              <p className="text-sm break-all text-stone-600">{entry.email}</p>
              <p className="text-xs text-stone-500">
                {entry.role} · joined {formatDateTime(entry.joinedAt)}
              </p>
            </div>
            {manages && entry.userId !== user.id && (
              <MemberActions
                memberId={entry.id}
                name={entry.name}
                role={entry.role}
                canManageOwners={team.role === "owner"}
              />
            )}
          </li>
        ))}
      </ul>
      {pages > 1 && (
        <nav aria-label="Member pages" className="flex gap-3 text-sm">
          {page > 1 && <a href={`?page=${page - 1}`}>Previous</a>}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages && <a href={`?page=${page + 1}`}>Next</a>}
        </nav>
      )}

      {manages && (
        <div className="space-y-3">
          <h2 className="text-lg font-semibold">Pending invitations</h2>
          {invitations.length === 0 ? (
            <p className="text-sm text-stone-600">None.</p>
          ) : (
            <ul aria-label="Pending invitations" className="divide-y divide-stone-200 rounded-lg border bg-white">
              {invitations.map((invitation) => (
                <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
                  <div className="min-w-0">
                    <p className="break-all">{invitation.email}</p>
                    <p className="text-xs text-stone-500">
                      as {invitation.role}, invited by {invitation.invitedBy}, until{" "}
                      {formatDateTime(invitation.expiresAt)}
                    </p>
                  </div>
                  <RevokeInvitationButton invitationId={invitation.id} email={invitation.email} />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
