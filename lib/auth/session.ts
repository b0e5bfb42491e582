import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { LAST_SEEN_PRECISION_MS, markSessionSeen } from "@/lib/account/sessions";
import { AppError } from "@/lib/core/errors";
import { db } from "@/lib/db";
import { runAfterResponse } from "@/lib/jobs/after";
import { noteRequestUser } from "@/lib/observability/request-context";
import { auth } from "./config";
import { noteRequestImpersonation } from "./impersonation-context";
import { impersonationOver } from "./operator-hooks";

export type Session = typeof auth.$Infer.Session;
export type SessionUser = Session["user"];

/**
 * The current session, or null: the one way pages, Server Actions and Route Handlers read it (a
 * Route Handler passes its request's headers). Cached per request, so a page and the actions it
 * renders ask the database once.
 */
export const getSession = cache(async (requestHeaders?: Headers): Promise<Session | null> => {
  const session = await auth.api.getSession({ headers: requestHeaders ?? (await currentRequestHeaders()) });
  // A ban deletes every session in its transaction (lib/admin/ban.ts); a session that raced it is refused here too.
  if (session && isBanned(session.user)) return null;
  // An impersonation lasts an hour from its start, however its expiry was refreshed: then it ends (and is recorded).
  if (session?.session.impersonatedBy && impersonationOver(session.session)) {
    await (await auth.$context).internalAdapter.deleteSession(session.session.token);
    return null;
  }
  if (session) {
    noteRequestUser(session.user.id);
    // What this request changes is the operator's doing: lib/audit's userActor names them as the actor.
    if (session.session.impersonatedBy)
      noteRequestImpersonation({ operatorId: session.session.impersonatedBy, userId: session.user.id });
    // "Last seen" on /account: written after the response, and only when it is more than a few minutes old.
    if (Date.now() - session.session.updatedAt.getTime() > LAST_SEEN_PRECISION_MS) {
      const sessionId = session.session.id;
      runAfterResponse(() => markSessionSeen(db, sessionId));
    }
  }
  return session;
});

/** Banned by an operator, and the ban has not run out. */
export function isBanned(user: { banned?: boolean | null; banExpires?: Date | null }, now = new Date()): boolean {
  return user.banned === true && (!user.banExpires || user.banExpires > now);
}

/**
 * The request's headers with its cookies as they are now. A Server Action that replaces the session
 * cookie (a password change ends every session and starts a new one) re-renders the page in the same
 * request: Next gives that render the new cookies through `cookies()`, but `headers()` stays as the
 * browser sent it, holding the ended session, and the page would send a signed-in user to sign in.
 */
export async function currentRequestHeaders(): Promise<Headers> {
  const [sent, jar] = await Promise.all([headers(), cookies()]);
  const current = new Headers(sent);
  const cookie = jar.toString();
  if (cookie) current.set("cookie", cookie);
  else current.delete("cookie");
  return current;
}

/** For pages: the signed-in user, or a redirect to the sign-in page. */
export async function requireUser(next = "/dashboard"): Promise<SessionUser> {
  const session = await getSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(next)}`);
  return session.user;
}

/**
 * For Route Handlers (`route({ authenticate: signedIn("Sign in to …") }, …)`): the session, or a
 * 401 whose message says what signing in is for.
 */
export function signedIn(message: string) {
  return async (req: Request): Promise<Session> => {
    const session = await getSession(req.headers);
    if (!session) throw new AppError("unauthenticated", message, { reason: "signed-out" });
    return session;
  };
}

/** For Route Handlers that anyone may call but that show more to the signed-in: the session or null. */
export const anyone = async (req: Request): Promise<Session | null> => getSession(req.headers);
