import { connection } from "next/server";
import { signedIn } from "@/lib/auth";
import { db } from "@/lib/db";
import { route } from "@/lib/http";
import { openRealtimeStream, parseLastEventId, REALTIME_STREAM_HEADERS } from "@/lib/realtime";
import { listTeamIdsOf } from "@/lib/teams";

/** Vercel ends the function here; the stream closes itself at 280 s first (lib/realtime/stream.ts). */
export const maxDuration = 300;

/** Server-Sent Events for the signed-in user: replay after Last-Event-ID, then live events. */
export const GET = route(
  { authenticate: signedIn("Sign in to receive events."), unavailable: "Live updates are unavailable right now." },
  async ({ req, requestId, caller: session }) => {
    // Never prerendered: every call is a live stream.
    await connection();
    const userId = session.user.id;
    const stream = await openRealtimeStream(db, {
      // The user's own events, and those of every team they are in.
      viewer: { userId, teamIds: await listTeamIdsOf(db, userId) },
      sessionId: session.session.id,
      lastEventId: parseLastEventId(req),
      signal: req.signal,
      requestId,
    });
    return new Response(stream, { headers: REALTIME_STREAM_HEADERS });
  },
);
