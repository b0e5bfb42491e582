/**
 * Liveness: the process is up and serving. Touches nothing else, so it is also
 * the floor `npm run bench` measures every other route against.
 * (Readiness, with the database, is /api/health.)
 */
export function GET() {
  return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
}
