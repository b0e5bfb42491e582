import "server-only";
import { defaultKeyHasher } from "@better-auth/api-key";
import { and, desc, eq, inArray, lt, or, isNull, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { logger } from "@/lib/core/logger";
import { recordAudit, userActor } from "@/lib/audit";
import { schema, transaction, type Executor } from "@/lib/db";
import { runAfterResponse } from "@/lib/jobs/after";
import { memberMay, teamPermissions } from "@/lib/teams/roles";
import { refusal, requireMembership, requireRole } from "@/lib/teams/teams";
import { scopesFromPermissions, permissionsFromScopes, type ApiScope } from "./scopes";

const { apikey, member } = schema;

/** What a request made with a valid key acts as: the team that owns it, as the admin who made it, within its scopes. */
export type ApiCaller = {
  keyId: string;
  keyName: string;
  teamId: string;
  /** The owner or admin who made the key: recipes it creates are theirs, and it works while they may manage keys. */
  userId: string;
  scopes: ReadonlySet<ApiScope>;
};

/** The caller as team-scoped lib functions take it: the team, and the key the audit log names as actor. */
export const keyActor = (caller: ApiCaller) => ({
  teamId: caller.teamId,
  apiKey: { id: caller.keyId, name: caller.keyName },
});

/** The caller as lib functions take it: the team, the maker's rights, and the key the audit log names as actor. */
export const apiActor = (caller: ApiCaller) => ({
  teamId: caller.teamId,
  userId: caller.userId,
  apiKey: { id: caller.keyId, name: caller.keyName },
});

/** Keys look like `rb_` and 64 letters; anything else is not worth a query. */
const KEY_SHAPE = /^rb_[A-Za-z]{64}$/;

/** How often a key's "last used" is written: at most once a minute, after the answer has gone. */
const LAST_USED_RESOLUTION_MS = 60_000;

const keyRefused = (reason: string, message: string) => new AppError("unauthenticated", message, { reason });

/**
 * A key works only while the member who made it may still manage keys: their membership, joined
 * to the key (`makersMembership`), and whether its role allows that (`makerMayManageKeys`).
 */
const makersMembership = and(eq(member.organizationId, apikey.referenceId), eq(member.userId, apikey.createdBy));
const makerMayManageKeys = sql<boolean>`${member.role} is not null and ${inArray(member.role, [
  ...teamPermissions["apiKeys:manage"],
])}`;

/**
 * The key in `Authorization: Bearer <key>`, checked in one indexed query: it exists (stored as its
 * SHA-256, as the plugin stores it), is not revoked or expired, and its maker is still one of the
 * team's owners or admins. Refusals are `unauthenticated` (401) with a reason saying which.
 * (The plugin's own `verifyApiKey` writes to the row twice on every call; this reads once, and
 * writes "last used" at most once a minute, after the response.)
 */
export async function authenticateApiKey(db: Executor, req: Request, now = new Date()): Promise<ApiCaller> {
  const header = req.headers.get("authorization");
  if (!header) throw keyRefused("missing-api-key", "Send your API key as `Authorization: Bearer <key>`.");
  const [scheme, key, ...rest] = header.trim().split(/\s+/);
  if (scheme?.toLowerCase() !== "bearer" || !key || rest.length > 0 || !KEY_SHAPE.test(key)) {
    throw keyRefused("invalid-api-key", "That API key is not valid.");
  }
  const [row] = await db
    .select({
      id: apikey.id,
      name: apikey.name,
      teamId: apikey.referenceId,
      createdBy: apikey.createdBy,
      enabled: apikey.enabled,
      expiresAt: apikey.expiresAt,
      lastRequest: apikey.lastRequest,
      permissions: apikey.permissions,
      makerMayManageKeys,
    })
    .from(apikey)
    .leftJoin(member, makersMembership)
    .where(eq(apikey.key, await defaultKeyHasher(key)));
  if (!row || !row.createdBy) throw keyRefused("invalid-api-key", "That API key is not valid.");
  if (row.enabled === false) throw keyRefused("revoked-api-key", "That API key was revoked.");
  if (row.expiresAt && row.expiresAt <= now) throw keyRefused("expired-api-key", "That API key has expired.");
  if (!row.makerMayManageKeys) {
    throw keyRefused(
      "api-key-owner-left",
      "That API key's maker is no longer an owner or admin of its team: ask one to make a new key.",
    );
  }
  if (!row.lastRequest || now.getTime() - row.lastRequest.getTime() > LAST_USED_RESOLUTION_MS) {
    runAfterResponse(() => touchLastUsed(db, row.id, now));
  }
  return {
    keyId: row.id,
    keyName: row.name ?? "API key",
    teamId: row.teamId,
    userId: row.createdBy,
    scopes: new Set(scopesFromPermissions(row.permissions)),
  };
}

async function touchLastUsed(db: Executor, keyId: string, now: Date) {
  try {
    await db
      .update(apikey)
      .set({ lastRequest: now })
      .where(
        and(
          eq(apikey.id, keyId),
          or(isNull(apikey.lastRequest), lt(apikey.lastRequest, new Date(now.getTime() - LAST_USED_RESOLUTION_MS))),
        ),
      );
  } catch (error) {
    logger.warn({ err: error, keyId }, "api key: last use not recorded");
  }
}

/** Refuses a request whose key lacks `scope` (403, naming the scope it needs). */
export function requireScope(caller: ApiCaller, scope: ApiScope): void {
  if (!caller.scopes.has(scope)) {
    throw new AppError("forbidden", `This API key does not have the ${scope} scope.`, {
      reason: "insufficient-scope",
      details: { required_scope: scope },
    });
  }
}

export type NewApiKey = { name: string; scopes: ApiScope[]; expiresInDays: number | null };

/** Lazily: the auth module pulls in Better Auth, which the key check above never needs. */
const loadAuth = () => import("@/lib/auth/config").then((module) => module.auth);

/**
 * Makes a key for the team: the plugin generates it (`rb_` and 64 random letters), stores its
 * SHA-256 with its scopes and expiry, and hands back the key, which is shown once and never again.
 * The key starts working only when its maker is written onto it, after the role check: a key the
 * plugin stored but this function did not finish is never accepted (`authenticateApiKey` needs a maker).
 */
export async function createApiKey(db: Executor, actor: { teamId: string; userId: string }, input: NewApiKey) {
  await requireKeyManager(db, actor);
  const auth = await loadAuth();
  const created = await auth.api.createApiKey({
    body: {
      organizationId: actor.teamId,
      userId: actor.userId,
      name: input.name,
      expiresIn: input.expiresInDays === null ? null : input.expiresInDays * 24 * 60 * 60,
      permissions: permissionsFromScopes(input.scopes),
    },
  });
  // The claim makes the key work: the audit event is written with it, or neither is.
  const claimed = await transaction(db, async (tx) => {
    const [row] = await tx
      .update(apikey)
      .set({ createdBy: actor.userId })
      .where(
        and(
          eq(apikey.id, created.id),
          eq(apikey.referenceId, actor.teamId),
          memberMay(apikey.referenceId, actor.userId, "apiKeys:manage"),
        ),
      )
      .returning({ id: apikey.id });
    if (row) {
      await recordAudit(tx, {
        teamId: actor.teamId,
        actor: await userActor(tx, actor.userId),
        action: "api_key.created",
        target: { type: "api_key", id: created.id },
        metadata: { name: input.name, scopes: input.scopes, expiresInDays: input.expiresInDays },
      });
    }
    return row;
  });
  if (!claimed) {
    // Their role changed between the check and now: the unclaimed key would never work; remove it.
    await db.delete(apikey).where(eq(apikey.id, created.id));
    throw await refusal(db, actor.teamId, actor.userId, "Only the team's owners and admins manage API keys.");
  }
  logger.info({ keyId: created.id, teamId: actor.teamId }, "api key created");
  return { id: created.id, key: created.key, start: created.start ?? created.key.slice(0, 9) };
}

async function requireKeyManager(db: Executor, actor: { teamId: string; userId: string }) {
  const team = await requireMembership(db, actor.teamId, actor.userId);
  requireRole(team, "apiKeys:manage", "Only the team's owners and admins manage API keys.");
  return team;
}

/** The team's keys for its admins: name, first characters, scopes, maker, expiry and last use; never the hash. */
export async function listApiKeys(db: Executor, actor: { teamId: string; userId: string }) {
  await requireKeyManager(db, actor);
  const rows = await db
    .select({
      id: apikey.id,
      name: apikey.name,
      start: apikey.start,
      permissions: apikey.permissions,
      enabled: apikey.enabled,
      expiresAt: apikey.expiresAt,
      lastUsedAt: apikey.lastRequest,
      createdAt: apikey.createdAt,
      createdBy: schema.user.name,
      makerMayManageKeys,
    })
    .from(apikey)
    .leftJoin(schema.user, eq(schema.user.id, apikey.createdBy))
    .leftJoin(member, makersMembership)
    .where(and(eq(apikey.referenceId, actor.teamId), sql`${apikey.createdBy} is not null`))
    .orderBy(desc(apikey.createdAt));
  return rows.map(({ permissions, ...row }) => ({ ...row, scopes: scopesFromPermissions(permissions) }));
}

export type ApiKeyListing = Awaited<ReturnType<typeof listApiKeys>>[number];

/** Revokes one of the team's keys: deleted, so its next request is refused (401). */
export async function revokeApiKey(db: Executor, actor: { teamId: string; userId: string }, keyId: string) {
  const revoked = await transaction(db, async (tx) => {
    const [row] = await tx
      .delete(apikey)
      .where(
        and(
          eq(apikey.id, keyId),
          eq(apikey.referenceId, actor.teamId),
          memberMay(apikey.referenceId, actor.userId, "apiKeys:manage"),
        ),
      )
      .returning({ id: apikey.id, name: apikey.name });
    if (row) {
      await recordAudit(tx, {
        teamId: actor.teamId,
        actor: await userActor(tx, actor.userId),
        action: "api_key.revoked",
        target: { type: "api_key", id: row.id },
        metadata: { name: row.name },
      });
    }
    return row;
  });
  if (!revoked) {
    await requireKeyManager(db, actor);
    throw new AppError("not-found", "No such API key in this team (it may have been revoked already).", {
      reason: "api-key-not-found",
    });
  }
  logger.info({ keyId, teamId: actor.teamId }, "api key revoked");
  return revoked;
}
