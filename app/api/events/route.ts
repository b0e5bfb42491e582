import { connection } from "next/server";
import { getSession } from "@/lib/auth";
import { logger } from "@/lib/logger";
import { openRealtimeStream, parseLastEventId, REALTIME_STREAM_HEADERS } from "@/lib/realtime";
import { requestIdFrom } from "@/lib/request-id";
import { db } from "@/lib/db";

/** Vercel ends the function here; the stream closes itself at 280 s first (lib/realtime/stream.ts). */
export const maxDuration = 300;

/** Server-Sent Events for the signed-in user: replay after Last-Event-ID, then live events. */
export async function GET(req: Request) {
  // Never prerendered: every call is a live stream.
  await connection();
  const requestId = requestIdFrom(req.headers);
  const lastEventId = parseLastEventId(req);
  if (lastEventId === "invalid") {
    return Response.json({ error: "Last-Event-ID must be an event id." }, { status: 400 });
  }
  const session = await getSession();
  if (!session) return Response.json({ error: "Sign in to receive events." }, { status: 401 });

  try {
    const stream = await openRealtimeStream(db, {
      audience: { userId: session.user.id },
      lastEventId,
      signal: req.signal,
      requestId,
    });
    return new Response(stream, { headers: { ...REALTIME_STREAM_HEADERS, "x-request-id": requestId } });
  } catch (error) {
    logger.error({ err: error, requestId }, "realtime stream not opened: database unavailable");
    return Response.json(
      { error: "Live updates are unavailable right now." },
      { status: 503, headers: { "Retry-After": "5" } },
    );
  }
}
