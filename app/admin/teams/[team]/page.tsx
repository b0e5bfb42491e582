import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Timestamp } from "@/app/_components/timestamp";
import { Badge } from "@/components/ui/badge";
import { requireOperator, teamDetail } from "@/lib/admin";
import { db } from "@/lib/db";
import { AdminNav } from "../../admin-nav";

export const metadata: Metadata = { title: "Team · Admin", robots: { index: false } };

/** One team for an operator: its members, each a link to their user page. */
export default async function AdminTeamPage({ params }: { params: Promise<{ team: string }> }) {
  await requireOperator();
  const { team: teamId } = await params;
  const team = await teamDetail(db, teamId);
  if (!team) notFound();
  return (
    <div className="space-y-6">
      <AdminNav current="search" />
      <div>
        <h1 className="text-2xl font-semibold break-all">{team.name}</h1>
        <p className="text-sm break-all text-stone-600">
          /t/{team.slug} · {team.personal ? "personal team" : "team"} · created <Timestamp date={team.createdAt} />
        </p>
      </div>
      <ul aria-label="Members" className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
        {team.members.map((person) => (
          <li key={person.userId} className="flex flex-wrap items-center justify-between gap-2 p-3">
            <div className="min-w-0">
              <Link href={`/admin/users/${person.userId}`} className="font-medium break-all underline">
                {person.email}
              </Link>
              <p className="text-sm text-stone-600">{person.name}</p>
            </div>
            <div className="flex items-center gap-2 text-sm text-stone-600">
              {person.banned && <Badge variant="danger">banned</Badge>}
              {person.role}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
