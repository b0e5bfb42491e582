import { apiRoute, decodeIdCursor, encodeIdCursor, parseInput } from "@/lib/api";
import { auditQuery } from "@/lib/api/audit";
import { auditEventJson, csvHeader, csvRow, listAuditEvents } from "@/lib/audit";

// The key's team's audit log, newest first, a page at a time, filtered by actor, action and time;
// `Accept: text/csv` answers the same page as CSV, with the next page's link in a `Link` header.

export const GET = apiRoute({ scope: "audit:read" }, async ({ req, db, caller }) => {
  const url = new URL(req.url);
  const query = parseInput(auditQuery, Object.fromEntries(url.searchParams), "query");
  const page = await listAuditEvents(
    db,
    caller.teamId,
    {
      actor: query.actor,
      action: query.action,
      since: query.since ? new Date(query.since) : undefined,
      until: query.until ? new Date(query.until) : undefined,
    },
    { limit: query.limit, before: decodeIdCursor(query.cursor) },
  );
  const nextCursor = page.next === null ? null : encodeIdCursor(page.next);
  if (wantsCsv(req)) {
    const headers = new Headers({ "content-type": "text/csv; charset=utf-8" });
    if (nextCursor) {
      url.searchParams.set("cursor", nextCursor);
      headers.set("Link", `<${url.pathname}${url.search}>; rel="next"`);
    }
    return new Response(csvHeader() + page.events.map(csvRow).join(""), { headers });
  }
  return Response.json({ data: page.events.map(auditEventJson), next_cursor: nextCursor });
});

/** CSV when the caller asks for it before JSON (`Accept: text/csv`). */
function wantsCsv(req: Request): boolean {
  const accept = req.headers.get("accept") ?? "";
  const csv = accept.indexOf("text/csv");
  const json = accept.indexOf("application/json");
  return csv !== -1 && (json === -1 || csv < json);
}
