import type { ReactNode } from "react";
import { db } from "@/lib/db";
import { listTeamsOf } from "@/lib/teams";
import { can } from "@/lib/teams/permissions";
import { currentTeam } from "./current-team";
import { TeamNav } from "./team-nav";
import { TeamProvider } from "./team-context";

/** Every page of a team: it must be the user's (404 otherwise), and its pages know which team they act on. */
export default async function TeamLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ team: string }>;
}) {
  const { user, team } = await currentTeam(params);
  const teams = await listTeamsOf(db, user.id);
  const links = [
    { href: `/t/${team.slug}`, label: "Recipes" },
    ...(team.personal ? [] : [{ href: `/t/${team.slug}/members`, label: "Members" }]),
    ...(can(team.role, "billing:manage") ? [{ href: `/t/${team.slug}/billing`, label: "Billing" }] : []),
    ...(can(team.role, "apiKeys:manage") ? [{ href: `/t/${team.slug}/api-keys`, label: "API keys" }] : []),
    ...(can(team.role, "webhooks:manage") ? [{ href: `/t/${team.slug}/webhooks`, label: "Webhooks" }] : []),
    ...(can(team.role, "audit:read") ? [{ href: `/t/${team.slug}/audit`, label: "Audit log" }] : []),
    { href: `/t/${team.slug}/settings`, label: "Settings" },
  ];
  return (
    <TeamProvider team={team}>
      <div className="space-y-6">
        <TeamNav
          current={{ name: team.name, slug: team.slug }}
          teams={teams.map(({ name, slug, personal }) => ({ name, slug, personal }))}
          links={links}
        />
        {children}
      </div>
    </TeamProvider>
  );
}
