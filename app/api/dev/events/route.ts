import { connection } from "next/server";
import { requireDevTools } from "@/lib/dev-tools";
import { logger } from "@/lib/logger";
import { openRealtimeStream, parseLastEventId, REALTIME_STREAM_HEADERS } from "@/lib/realtime";
import { requestIdFrom } from "@/lib/request-id";
import { db } from "@/lib/db";

export const maxDuration = 300;

/** The dev tools' feed (email and webhook statuses for /dev/emails and /dev/webhooks): 404 where the dev tools are off. */
export async function GET(req: Request) {
  await connection();
  requireDevTools();
  const requestId = requestIdFrom(req.headers);
  const lastEventId = parseLastEventId(req);
  if (lastEventId === "invalid") {
    return Response.json({ error: "Last-Event-ID must be an event id." }, { status: 400 });
  }
  try {
    const stream = await openRealtimeStream(db, { audience: "dev-tools", lastEventId, signal: req.signal, requestId });
    return new Response(stream, { headers: { ...REALTIME_STREAM_HEADERS, "x-request-id": requestId } });
  } catch (error) {
    logger.error({ err: error, requestId }, "dev tools stream not opened: database unavailable");
    return Response.json({ error: "Live updates are unavailable right now." }, { status: 503 });
  }
}
