import { route } from "@/lib/http";

/**
 * Liveness: the process is up and serving. Touches nothing else, so it is also
 * the floor `npm run bench` measures every other route against.
 * (Readiness, with the database, is /api/health.)
 */
export const GET = route(async ({ headers }) => {
  headers.set("Cache-Control", "no-store");
  return { ok: true };
});
