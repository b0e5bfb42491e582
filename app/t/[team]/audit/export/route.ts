import { auditEventsMatching, exportStream } from "@/lib/audit";
import { auditFiltersFromSearch } from "@/lib/audit/page-filters";
import { signedIn } from "@/lib/auth";
import { AppError } from "@/lib/core/errors";
import { db } from "@/lib/db";
import { route } from "@/lib/http";
import { teamForMember } from "@/lib/teams";
import { can } from "@/lib/teams/permissions";

/**
 * The Audit log page's downloads: every event matching its filters (up to 10,000, newest first) as
 * CSV or JSON, for the team's owners and admins (404 for anyone else, as the page is).
 */
export const GET = route<Awaited<ReturnType<ReturnType<typeof signedIn>>>, { team: string }>(
  { authenticate: signedIn("Sign in to export the audit log.") },
  async ({ req, caller: session, params }) => {
    const team = await teamForMember(db, params.team, session.user.id);
    if (!team || !can(team.role, "audit:read"))
      throw new AppError("not-found", "No such team, or you may not read its audit log.", { reason: "team-not-found" });
    const url = new URL(req.url);
    const format = url.searchParams.get("format") === "json" ? "json" : "csv";
    const { filters } = auditFiltersFromSearch(Object.fromEntries(url.searchParams));
    const day = new Date().toISOString().slice(0, 10);
    return new Response(exportStream(auditEventsMatching(db, team.id, filters), format), {
      headers: {
        "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="audit-${team.slug}-${day}.${format}"`,
        "cache-control": "private, no-store",
      },
    });
  },
);
