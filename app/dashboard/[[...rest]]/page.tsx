import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth";
import { db } from "@/lib/db";
import { personalTeamOf } from "@/lib/teams";

/**
 * Where sign-in lands: the user's own team (every account has one; other teams are a click away in
 * the switcher). Older links under /dashboard (/dashboard/recipes/new) open the same page of it.
 */
export default async function DashboardPage({ params }: { params: Promise<{ rest?: string[] }> }) {
  const { rest = [] } = await params;
  const here = ["/dashboard", ...rest.map(encodeURIComponent)].join("/");
  const user = await requireUser(here);
  const team = await personalTeamOf(db, user.id);
  // A team appears with the account; its absence is a bug, and the error page is the honest answer.
  if (!team) throw new Error("this account has no personal team");
  redirect(["", "t", team.slug, ...rest.map(encodeURIComponent)].join("/"));
}
