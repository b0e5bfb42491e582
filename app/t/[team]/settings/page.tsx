import type { Metadata } from "next";
import { db } from "@/lib/db";
import { listMembers } from "@/lib/teams";
import { can } from "@/lib/teams/permissions";
import { currentTeam } from "../current-team";
import { DeleteTeamForm, LeaveTeamForm, RenameTeamForm, TransferOwnershipForm } from "./forms";

export const metadata: Metadata = { title: "Team settings" };

export default async function TeamSettingsPage({ params }: { params: Promise<{ team: string }> }) {
  const { user, team } = await currentTeam(params, "/settings");
  const others =
    can(team.role, "team:transfer") && !team.personal
      ? (await listMembers(db, team.id, { limit: 100 })).members.filter((entry) => entry.userId !== user.id)
      : [];
  return (
    <section className="max-w-xl space-y-8">
      <h1 className="text-2xl font-semibold">Team settings</h1>
      {can(team.role, "team:rename") ? (
        <RenameTeamForm name={team.name} />
      ) : (
        <p className="text-sm text-stone-600">Only the team&apos;s owners and admins can change its settings.</p>
      )}
      {team.personal ? (
        <p className="text-sm text-stone-600">
          This is your personal team: it goes with your account. To cook with others, create a team from the team
          switcher and invite them.
        </p>
      ) : (
        <>
          {others.length > 0 && <TransferOwnershipForm members={others} />}
          <LeaveTeamForm />
          {can(team.role, "team:delete") && <DeleteTeamForm name={team.name} />}
        </>
      )}
    </section>
  );
}
