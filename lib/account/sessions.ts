import "server-only";
import { isIP } from "node:net";
import { and, desc, eq, gt, lt, ne } from "drizzle-orm";
import { recordAudit, userActor } from "@/lib/audit";
import { schema, transaction, type Executor } from "@/lib/db";
import { notifySessionEnded } from "@/lib/realtime";

const { session } = schema;

/** How stale a session's "last seen" may get: a request after this long writes it (one small update, after the response). */
export const LAST_SEEN_PRECISION_MS = 5 * 60_000;

/** Moves the session's "last seen" (`updated_at`) to now, at most once per LAST_SEEN_PRECISION_MS. */
export async function markSessionSeen(db: Executor, sessionId: string, now = new Date()): Promise<void> {
  await db
    .update(session)
    .set({ updatedAt: now })
    .where(and(eq(session.id, sessionId), lt(session.updatedAt, new Date(now.getTime() - LAST_SEEN_PRECISION_MS))));
}

export type ActiveSession = {
  id: string;
  device: string;
  /** The address the session signed in from, or null when none was known (see `knownAddress`). */
  ipAddress: string | null;
  /** `updated_at`: moved by `markSessionSeen` on the session's requests (and by Better Auth's daily refresh). */
  lastSeenAt: Date;
  createdAt: Date;
  current: boolean;
};

/** The user's sessions that have not expired, current one first, then the most recently seen. */
export async function listActiveSessions(db: Executor, userId: string, currentSessionId: string) {
  const rows = await db
    .select({
      id: session.id,
      userAgent: session.userAgent,
      ipAddress: session.ipAddress,
      updatedAt: session.updatedAt,
      createdAt: session.createdAt,
    })
    .from(session)
    .where(and(eq(session.userId, userId), gt(session.expiresAt, new Date())))
    .orderBy(desc(session.updatedAt));
  const sessions: ActiveSession[] = rows.map((row) => ({
    id: row.id,
    device: describeDevice(row.userAgent),
    ipAddress: knownAddress(row.ipAddress),
    lastSeenAt: row.updatedAt,
    createdAt: row.createdAt,
    current: row.id === currentSessionId,
  }));
  return sessions.sort((a, b) => Number(b.current) - Number(a.current));
}

/**
 * An address worth showing, or null. Without a trusted client-IP header (TRUST_PROXY) Better Auth records none,
 * or the unspecified address (`::`, written out as eight `0000` groups): that is "unknown", not an address.
 */
export function knownAddress(address: string | null): string | null {
  if (!address || !isIP(address)) return null;
  const digits = address.replace(/[.:]/g, "");
  return /^0*$/.test(digits) ? null : address;
}

/**
 * Ends one of the user's sessions (by id: the token never reaches a page).
 * Ownership is part of the query, so another user's session id matches
 * nothing. Sessions are looked up on every request, so it ends at once, and
 * every server closes the event streams it had open.
 */
export async function revokeSession(db: Executor, userId: string, sessionId: string): Promise<boolean> {
  return transaction(db, async (tx) => {
    const deleted = await tx
      .delete(session)
      .where(and(eq(session.id, sessionId), eq(session.userId, userId)))
      .returning({ id: session.id, announced: notifySessionEnded(session.id) });
    if (deleted.length) await auditRevocation(tx, userId, "one", deleted.length);
    return deleted.length > 0;
  });
}

/** Ends every session of the user but the current one; returns how many ended. */
export async function revokeOtherSessions(db: Executor, userId: string, currentSessionId: string): Promise<number> {
  return transaction(db, async (tx) => {
    const deleted = await tx
      .delete(session)
      .where(and(eq(session.userId, userId), ne(session.id, currentSessionId)))
      .returning({ id: session.id, announced: notifySessionEnded(session.id) });
    if (deleted.length) await auditRevocation(tx, userId, "others", deleted.length);
    return deleted.length;
  });
}

/** One event per revocation, however many sessions it ended. */
async function auditRevocation(tx: Executor, userId: string, scope: "one" | "others", count: number) {
  await recordAudit(tx, {
    teamId: null,
    actor: await userActor(tx, userId),
    action: "account.sessions_revoked",
    target: { type: "user", id: userId },
    metadata: { scope, count },
  });
}

const browsers: [RegExp, string][] = [
  [/Edg\//, "Edge"],
  [/OPR\//, "Opera"],
  [/Firefox\//, "Firefox"],
  [/Chrom(e|ium)\//, "Chrome"],
  [/Safari\//, "Safari"],
];
const systems: [RegExp, string][] = [
  [/iPhone|iPad/, "iOS"],
  [/Android/, "Android"],
  [/CrOS/, "ChromeOS"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Windows/, "Windows"],
  [/Linux/, "Linux"],
];

/** "Firefox on macOS" from a User-Agent header: enough to recognise one's own devices. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? userAgent.slice(0, 40);
}
