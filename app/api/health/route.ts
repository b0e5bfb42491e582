import { db, pingDatabase } from "@/lib/db";

/** For load balancers and uptime checks: 200 when the database answers, 503 when it does not. */
export async function GET() {
  const ok = await pingDatabase(db);
  return Response.json(ok ? { ok: true } : { ok: false, error: "database unavailable" }, {
    status: ok ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
