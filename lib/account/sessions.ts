import "server-only";
import { and, desc, eq, gt, ne } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

const { session } = schema;

export type ActiveSession = {
  id: string;
  device: string;
  ipAddress: string | null;
  /** Better Auth moves `updatedAt` when it refreshes a session: the closest thing to "last seen" it records. */
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
    ipAddress: row.ipAddress,
    lastSeenAt: row.updatedAt,
    createdAt: row.createdAt,
    current: row.id === currentSessionId,
  }));
  return sessions.sort((a, b) => Number(b.current) - Number(a.current));
}

/**
 * Ends one of the user's sessions (by id: the token never reaches a page).
 * Ownership is part of the query, so another user's session id matches
 * nothing. Sessions are looked up on every request, so it ends at once.
 */
export async function revokeSession(db: Executor, userId: string, sessionId: string): Promise<boolean> {
  const deleted = await db
    .delete(session)
    .where(and(eq(session.id, sessionId), eq(session.userId, userId)))
    .returning({ id: session.id });
  return deleted.length > 0;
}

/** Ends every session of the user but the current one; returns how many ended. */
export async function revokeOtherSessions(db: Executor, userId: string, currentSessionId: string): Promise<number> {
  const deleted = await db
    .delete(session)
    .where(and(eq(session.userId, userId), ne(session.id, currentSessionId)))
    .returning({ id: session.id });
  return deleted.length;
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
