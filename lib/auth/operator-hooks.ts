import "server-only";
import { APIError, getSessionFromCtx } from "better-auth/api";
import { eq } from "drizzle-orm";
import { recordAudit, userActor } from "@/lib/audit";
import { logger } from "@/lib/core/logger";
import { db, schema, transaction } from "@/lib/db";
import { isOperator, mirrorOperatorRole } from "./operators";

/** What a banned account is told when it tries to sign in, by any method (the admin plugin refuses the session). */
export const BANNED_MESSAGE =
  "This account has been suspended by the Recipe Box team. If you think this is a mistake, write to us through the contact page.";

/** An impersonation session lasts at most this long, then ends by itself (the admin plugin sets its expiry). */
export const IMPERSONATION_MAX_SECONDS = 60 * 60;

/** The only admin plugin endpoints the app uses: /admin's Server Actions call them on the server. */
const USED_ENDPOINTS = new Set(["/admin/impersonate-user", "/admin/stop-impersonating"]);
/** The banner's "Stop impersonating" button posts here from every page (no Server Action compiled into each). */
const STOP = "/admin/stop-impersonating";

type EndpointContext = Parameters<typeof getSessionFromCtx>[0];

/**
 * Runs before every admin plugin endpoint. The ones the app does not use answer 404 everywhere; impersonating answers
 * 404 over HTTP (operators start it from /admin's Server Action) and, on the server, needs a caller who is an operator
 * by our rule (lib/auth/operators.ts) and not impersonating anyone: the plugin alone would trust the role column. The
 * role mirror is brought up to date before the plugin reads it. Stopping is open over HTTP (POST, Better Auth's
 * origin check) because the banner on every page posts it: the plugin checks that the session is an impersonation
 * and that the signed cookie it kept holds that operator's own live session, and anything else is refused.
 */
export async function guardOperatorEndpoint(ctx: EndpointContext & { request?: Request }): Promise<void> {
  if (!USED_ENDPOINTS.has(ctx.path)) throw new APIError("NOT_FOUND");
  if (ctx.path === STOP) return;
  if (ctx.request) throw new APIError("NOT_FOUND");
  const session = await getSessionFromCtx(ctx);
  if (!session || session.session.impersonatedBy || !isOperator(session.user)) throw new APIError("NOT_FOUND");
  await mirrorOperatorRole(db, session.user);
}

type SessionRow = { id: string; userId: string; expiresAt: Date; createdAt: Date; impersonatedBy?: string | null };

/**
 * Whether an impersonation session's hour is over. The plugin sets `expires_at` an hour ahead, but Better Auth's
 * daily refresh would push a session's expiry a week out whenever the browser lacks its "don't remember me" cookie,
 * so the hour is also counted from `created_at`, which nothing moves (lib/auth/session.ts ends it there).
 */
export function impersonationOver(row: Pick<SessionRow, "expiresAt" | "createdAt">, now = new Date()): boolean {
  const end = Math.min(
    new Date(row.expiresAt).getTime(),
    new Date(row.createdAt).getTime() + IMPERSONATION_MAX_SECONDS * 1000,
  );
  return end <= now.getTime();
}

/**
 * Impersonation start and stop are written by the admin plugin (it creates and deletes the session row through
 * Better Auth's adapter, outside any transaction of ours), so they are recorded from Better Auth's database hooks on
 * the session: every way an impersonation session is made or ends passes there. Each event goes in the account chain
 * (no team) with the operator as actor and the user as target, in a transaction of its own right after the row.
 */
async function recordImpersonation(
  action: "operator.impersonation_started" | "operator.impersonation_stopped",
  row: SessionRow & { impersonatedBy: string },
  metadata: Record<string, unknown>,
) {
  await transaction(db, async (tx) =>
    recordAudit(tx, {
      teamId: null,
      actor: await userActor(tx, row.impersonatedBy),
      action,
      target: { type: "user", id: row.userId },
      // Not the session's id: the log's metadata never holds anything session-shaped (lib/audit/metadata.ts).
      metadata,
    }),
  );
}

/**
 * After Better Auth writes a session: an impersonation is recorded as the operator's action. If the record cannot be
 * written the session is deleted again and the impersonation fails: none goes unrecorded.
 */
export async function onSessionCreated(created: SessionRow): Promise<void> {
  const { impersonatedBy } = created;
  if (!impersonatedBy) return;
  try {
    await recordImpersonation(
      "operator.impersonation_started",
      { ...created, impersonatedBy },
      {
        expiresAt: created.expiresAt,
      },
    );
  } catch (error) {
    await db.delete(schema.session).where(eq(schema.session.id, created.id));
    throw error;
  }
  logger.info({ sessionId: created.id, operatorId: impersonatedBy, userId: created.userId }, "impersonation started");
}

/**
 * After Better Auth deletes a session: the end of an impersonation, whether the operator pressed "Stop
 * impersonating", signed out, or the hour ran out and Better Auth swept the expired row on its next use (`expired`).
 */
export async function onSessionDeleted(ended: SessionRow, now = new Date()): Promise<void> {
  const { impersonatedBy } = ended;
  if (!impersonatedBy) return;
  const expired = impersonationOver(ended, now);
  await recordImpersonation("operator.impersonation_stopped", { ...ended, impersonatedBy }, { expired });
  logger.info(
    { sessionId: ended.id, operatorId: impersonatedBy, userId: ended.userId, expired },
    "impersonation ended",
  );
}
