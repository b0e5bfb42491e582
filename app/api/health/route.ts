import { databaseStatus, db, MIGRATIONS_PENDING_HINT } from "@/lib/db";
import { isDraining } from "@/lib/drain";
import { route } from "@/lib/http";

const problems = { unavailable: "database unavailable", "migrations-pending": MIGRATIONS_PENDING_HINT } as const;

/**
 * For load balancers and uptime checks: 200 `{ ok: true }` when the database answers and has
 * every migration this build ships; 503 `{ ok: false, error }` with the reason otherwise, and
 * while the server is shutting down (so a balancer stops sending it requests).
 */
export const GET = route(async ({ headers }) => {
  headers.set("Cache-Control", "no-store");
  if (isDraining()) return Response.json({ ok: false, error: "shutting down" }, { status: 503 });
  const status = await databaseStatus(db);
  if (status === "ok") return { ok: true };
  return Response.json({ ok: false, error: problems[status] }, { status: 503 });
});
