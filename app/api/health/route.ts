import { databaseStatus, db, MIGRATIONS_PENDING_HINT } from "@/lib/db";

const errors = { unavailable: "database unavailable", "migrations-pending": MIGRATIONS_PENDING_HINT } as const;

/**
 * For load balancers and uptime checks: 200 when the database answers and has
 * every migration this build ships; 503 with the reason otherwise.
 */
export async function GET() {
  const status = await databaseStatus(db);
  return Response.json(status === "ok" ? { ok: true } : { ok: false, error: errors[status] }, {
    status: status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
