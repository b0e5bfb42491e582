import "server-only";

/**
 * Real-time: a change a user should see writes a `realtime_events` row and a
 * NOTIFY in its own transaction (`publishRealtimeEvent`); each server process
 * LISTENs once and fans events out to its open `/api/events` streams.
 */
export {
  announceSessionEnded,
  notifySessionEnded,
  deleteExpiredRealtimeEvents,
  publishRealtimeEvent,
  REALTIME_RETENTION_MS,
  type RealtimeAudience,
  type RealtimeViewer,
  type RealtimeEventData,
  type RealtimeEventType,
} from "./events";
export { openRealtimeStream, parseLastEventId, REALTIME_STREAM_HEADERS } from "./stream";
export { stopRealtimeHub } from "./hub";
