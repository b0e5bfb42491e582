import "server-only";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth";
import { db } from "@/lib/db";
import { teamForMember } from "@/lib/teams";

/**
 * The signed-in user and the team of a /t/<slug> page; a 404 for a team that is not theirs (it
 * looks like one that does not exist). The layout and the page both call it; React's `cache`
 * behind `getSession` and `teamForMember` makes that one query each.
 */
export async function currentTeam(params: Promise<{ team: string }>, path = "") {
  const { team: slug } = await params;
  const user = await requireUser(`/t/${encodeURIComponent(slug)}${path}`);
  const team = await teamForMember(db, slug, user.id);
  if (!team) notFound();
  return { user, team };
}
