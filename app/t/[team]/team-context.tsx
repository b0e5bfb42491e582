"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { TeamRole } from "@/lib/teams/permissions";

export type CurrentTeam = { id: string; slug: string; name: string; role: TeamRole; personal: boolean };

const TeamContext = createContext<CurrentTeam | null>(null);

/** The team of the page (/t/<slug>), for its client components: their links and the team their forms name. */
export function TeamProvider({ team, children }: { team: CurrentTeam; children: ReactNode }) {
  return <TeamContext.Provider value={team}>{children}</TeamContext.Provider>;
}

export function useTeam(): CurrentTeam {
  const team = useContext(TeamContext);
  if (!team) throw new Error("useTeam() outside a team page (app/t/[team])");
  return team;
}

/** Every team form carries this: the action acts on the team the page showed, never "whichever is active". */
export function TeamField() {
  return <input type="hidden" name="teamId" value={useTeam().id} />;
}
