import "server-only";
import { BlockList, isIP } from "node:net";
import { and, count, desc, eq, lt, max, type SQL } from "drizzle-orm";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { apiKeyActor, recordAudit, systemActor, userActor, type AuditActor } from "@/lib/audit";
import { schema, transaction, type Executor } from "@/lib/db";
import type { WebhookAttemptStatus, WebhookEndpoint } from "@/lib/db/schema";
import { memberMay } from "@/lib/teams/roles";
import { refusal } from "@/lib/teams/teams";
import { TEST_EVENT_TYPE, webhookEventCatalog } from "./catalog";
import { disableEndpoint } from "./deliver";
import { queueAttempts } from "./jobs";
import { insertMessage } from "./outbox";
import type {
  WebhookEndpointCreate,
  WebhookEndpointUpdate,
  WebhookEndpointView,
  WebhookEndpointWithSecret,
  WebhookTestRequest,
} from "./schema";
import { newSigningSecret } from "./signing";
import { svixConfigured } from "./svix";

const { organization, webhookAttempts, webhookEndpoints, webhookMessages } = schema;

/** Endpoints per team: plenty for real integrations, and a bound on the fan-out of every change. */
export const MAX_ENDPOINTS_PER_TEAM = 20;
/** How long the previous secret keeps signing after a rotation, so receivers can switch at their pace. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/**
 * Who manages a team's endpoints: a member through the app's pages (`userId`: the statement that
 * acts checks they are the team's owner or admin), or the public API, whose route has checked the
 * API key's team and `webhooks:write` scope (no `userId`).
 */
export type WebhookActor = { teamId: string; userId?: string; apiKey?: { id: string; name: string } };

/** Who the audit log names: the API key, else the member (read in the change's transaction). */
const auditActorOf = (tx: Executor, actor: WebhookActor): Promise<AuditActor> | AuditActor =>
  actor.apiKey ? apiKeyActor(actor.apiKey) : actor.userId ? userActor(tx, actor.userId) : systemActor();

/** What the log keeps of an endpoint's URL: its origin (a path or query may itself be a secret). */
const urlOrigin = (url: string) => new URL(url).origin;

export class WebhookEndpointNotFoundError extends AppError {
  constructor() {
    super("not-found", "No such webhook endpoint in this team.", { reason: "webhook-endpoint-not-found" });
    this.name = "WebhookEndpointNotFoundError";
  }
}

const FORBIDDEN = "Only the team's owners and admins manage its webhooks.";

/** The endpoint rows the actor may manage. */
function managed(actor: WebhookActor, endpointId?: string): SQL {
  return and(
    eq(webhookEndpoints.organizationId, actor.teamId),
    endpointId ? eq(webhookEndpoints.id, endpointId) : undefined,
    actor.userId ? memberMay(webhookEndpoints.organizationId, actor.userId, "webhooks:manage") : undefined,
  )!;
}

/** Why a statement that authorized itself found nothing: not the actor's team, not their role, or no such endpoint. */
async function notFound(db: Executor, actor: WebhookActor): Promise<AppError> {
  if (actor.userId) {
    const [allowed] = await db
      .select({ id: organization.id })
      .from(organization)
      .where(and(eq(organization.id, actor.teamId), memberMay(organization.id, actor.userId, "webhooks:manage")));
    if (!allowed) return refusal(db, actor.teamId, actor.userId, FORBIDDEN);
  }
  return new WebhookEndpointNotFoundError();
}

function refuseOnSvix() {
  if (svixConfigured())
    throw new AppError(
      "conflict",
      "Webhooks are delivered by Svix here: manage endpoints in its app portal (the team's Webhooks page links it).",
      { reason: "webhooks-on-svix" },
    );
}

export function endpointView(row: WebhookEndpoint): WebhookEndpointView {
  const rotating = row.previousSecretExpiresAt && row.previousSecretExpiresAt > new Date();
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.eventTypes,
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    failing_since: row.failingSince?.toISOString() ?? null,
    previous_secret_expires_at: rotating ? row.previousSecretExpiresAt!.toISOString() : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

// What a URL may never point at, judged on its face when it is saved (the address it resolves to is
// judged when each connection is made, in transport.ts): loopback, private, link-local and metadata,
// carrier-grade NAT, unique local, unspecified.
const refusedRanges = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const)
  refusedRanges.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 127],
  ["::ffff:0:0", 96],
  ["fc00::", 7],
  ["fe80::", 10],
] as const)
  refusedRanges.addSubnet(network, prefix, "ipv6");

/**
 * Refuses, when it is saved, a URL whose host is plainly not on the internet (where
 * WEBHOOKS_ALLOW_PRIVATE_URLS is off): a private or loopback address written as such, or a local
 * name. A name that resolves to one is caught when the connection is made.
 */
export function checkEndpointUrl(value: string): void {
  if (env.webhooksAllowPrivateUrls) return;
  const host = new URL(value).hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  const family = isIP(host);
  const local =
    family !== 0
      ? refusedRanges.check(host, family === 4 ? "ipv4" : "ipv6")
      : host === "localhost" || /\.(localhost|local|internal|home\.arpa)$/.test(host) || !host.includes(".");
  if (local)
    throw new AppError("invalid", "Webhooks only go to public internet addresses: this URL points inside a network.", {
      reason: "webhook-url-private",
      field: "url",
    });
}

/** The team's endpoints, oldest first. */
export async function listEndpoints(db: Executor, actor: WebhookActor): Promise<WebhookEndpointView[]> {
  const rows = await db.select().from(webhookEndpoints).where(managed(actor)).orderBy(webhookEndpoints.createdAt);
  if (!rows.length && actor.userId) {
    // An empty list, or no right to see it: tell the two apart only when nothing came back.
    const refused = await notFound(db, actor);
    if (!(refused instanceof WebhookEndpointNotFoundError)) throw refused;
  }
  return rows.map(endpointView);
}

export async function getEndpoint(db: Executor, actor: WebhookActor, endpointId: string) {
  const [row] = await db.select().from(webhookEndpoints).where(managed(actor, endpointId));
  if (!row) throw await notFound(db, actor);
  return endpointView(row);
}

/** Adds an endpoint; the answer holds its secret, which is never shown again. */
export async function createEndpoint(
  db: Executor,
  actor: WebhookActor,
  input: WebhookEndpointCreate,
): Promise<WebhookEndpointWithSecret> {
  refuseOnSvix();
  checkEndpointUrl(input.url);
  return transaction(db, async (tx) => {
    // Lock the team's row, as its owner or admin: two creates at once count each other.
    const [team] = await tx
      .select({ id: organization.id })
      .from(organization)
      .where(
        and(
          eq(organization.id, actor.teamId),
          actor.userId ? memberMay(organization.id, actor.userId, "webhooks:manage") : undefined,
        ),
      )
      .for("update");
    if (!team) throw await notFound(tx, actor);
    const [existing] = await tx
      .select({ total: count() })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.organizationId, team.id));
    if ((existing?.total ?? 0) >= MAX_ENDPOINTS_PER_TEAM)
      throw new AppError("limit-reached", `A team has at most ${MAX_ENDPOINTS_PER_TEAM} webhook endpoints.`, {
        reason: "webhook-endpoint-limit",
        details: { limit: MAX_ENDPOINTS_PER_TEAM },
      });
    const secret = newSigningSecret();
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        organizationId: team.id,
        url: input.url,
        description: input.description,
        eventTypes: input.event_types,
        secret,
      })
      .returning();
    await recordAudit(tx, {
      teamId: team.id,
      actor: await auditActorOf(tx, actor),
      action: "webhook_endpoint.created",
      target: { type: "webhook_endpoint", id: row!.id },
      metadata: { origin: urlOrigin(row!.url), eventTypes: input.event_types ?? null },
    });
    return { ...endpointView(row!), secret };
  });
}

/**
 * Changes an endpoint's URL, description, types, or whether it is on. Turning it on forgets the
 * failures that turned it off; turning it off is `manual`.
 */
export async function updateEndpoint(
  db: Executor,
  actor: WebhookActor,
  endpointId: string,
  input: WebhookEndpointUpdate,
): Promise<WebhookEndpointView> {
  refuseOnSvix();
  if (input.url) checkEndpointUrl(input.url);
  return transaction(db, async (tx, afterCommit) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        ...(input.url !== undefined && { url: input.url }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.event_types !== undefined && { eventTypes: input.event_types }),
        ...(input.enabled === true && { enabled: true, disabledReason: null, disabledAt: null, failingSince: null }),
        updatedAt: new Date(),
      })
      .where(managed(actor, endpointId))
      .returning();
    if (!row) throw await notFound(tx, actor);
    if (input.enabled === false) {
      await disableEndpoint(tx, afterCommit, row.id, "manual", "", await auditActorOf(tx, actor));
      const [after] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, row.id));
      return endpointView(after!);
    }
    return endpointView(row);
  });
}

/** Removes an endpoint, with its tries (the messages stay for the team's other endpoints). */
export async function deleteEndpoint(db: Executor, actor: WebhookActor, endpointId: string): Promise<void> {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(managed(actor, endpointId))
    .returning({ id: webhookEndpoints.id });
  if (!deleted.length) throw await notFound(db, actor);
}

/**
 * A new signing secret, shown once in the answer. The previous one keeps signing beside it for
 * ROTATION_OVERLAP_MS (both signatures are sent), so receivers holding either accept every delivery
 * while they switch; a second rotation within that time drops the oldest.
 */
export async function rotateEndpointSecret(
  db: Executor,
  actor: WebhookActor,
  endpointId: string,
): Promise<WebhookEndpointWithSecret> {
  refuseOnSvix();
  return transaction(db, async (tx) => {
    const [current] = await tx.select().from(webhookEndpoints).where(managed(actor, endpointId)).for("update");
    if (!current) throw await notFound(tx, actor);
    const secret = newSigningSecret();
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        secret,
        previousSecret: current.secret,
        previousSecretExpiresAt: new Date(Date.now() + ROTATION_OVERLAP_MS),
        updatedAt: new Date(),
      })
      .where(eq(webhookEndpoints.id, current.id))
      .returning();
    await recordAudit(tx, {
      teamId: current.organizationId,
      actor: await auditActorOf(tx, actor),
      action: "webhook_endpoint.secret_rotated",
      target: { type: "webhook_endpoint", id: current.id },
      metadata: { origin: urlOrigin(current.url) },
    });
    return { ...endpointView(row!), secret };
  });
}

/**
 * "Send test event": a message to this endpoint only (even one that is off), through the same
 * signing, delivery and retries as any other. Without a type it is `webhook.test`; with one, that
 * type's sample. Returns the message id (its `webhook-id`).
 */
export async function sendTestEvent(
  db: Executor,
  actor: WebhookActor,
  endpointId: string,
  { type }: WebhookTestRequest = {},
): Promise<{ message_id: string }> {
  refuseOnSvix();
  return transaction(db, async (tx, afterCommit) => {
    const [endpoint] = await tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(managed(actor, endpointId));
    if (!endpoint) throw await notFound(tx, actor);
    const messageId = await insertMessage(tx, afterCommit, {
      teamId: actor.teamId,
      endpointId: endpoint.id,
      ...(type
        ? { type, data: webhookEventCatalog[type].sample }
        : {
            type: TEST_EVENT_TYPE,
            data: { endpoint_id: endpoint.id, message: "A test event from Recipe Box: your endpoint works." },
          }),
    });
    return { message_id: messageId };
  });
}

/**
 * Sends a message to the endpoint once more, now (a single try: it does not restart the
 * schedule), e.g. one that was exhausted while the endpoint was down. Refused while a try of it is
 * still waiting.
 */
export async function replayMessage(
  db: Executor,
  actor: WebhookActor,
  endpointId: string,
  messageId: string,
): Promise<{ attempt_id: string }> {
  refuseOnSvix();
  const attempt = await transaction(db, async (tx) => {
    const [endpoint] = await tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(managed(actor, endpointId))
      .for("update");
    if (!endpoint) throw await notFound(tx, actor);
    const [tries] = await tx
      .select({ last: max(webhookAttempts.attempt), message: webhookMessages.id })
      .from(webhookMessages)
      .leftJoin(
        webhookAttempts,
        and(eq(webhookAttempts.messageId, webhookMessages.id), eq(webhookAttempts.endpointId, endpoint.id)),
      )
      .where(and(eq(webhookMessages.id, messageId), eq(webhookMessages.organizationId, actor.teamId)))
      .groupBy(webhookMessages.id);
    if (!tries?.message)
      throw new AppError("not-found", "No such message for this team.", { reason: "webhook-message-not-found" });
    const [waiting] = await tx
      .select({ id: webhookAttempts.id })
      .from(webhookAttempts)
      .where(
        and(
          eq(webhookAttempts.messageId, messageId),
          eq(webhookAttempts.endpointId, endpoint.id),
          eq(webhookAttempts.status, "pending"),
        ),
      );
    if (waiting)
      throw new AppError("conflict", "A try of this message is already waiting to be sent.", {
        reason: "webhook-attempt-pending",
      });
    const [row] = await tx
      .insert(webhookAttempts)
      .values({ messageId, endpointId: endpoint.id, attempt: (tries.last ?? 0) + 1, replay: true })
      .returning({ id: webhookAttempts.id });
    return { attemptId: row!.id, endpointId: endpoint.id };
  });
  await queueAttempts([attempt]);
  return { attempt_id: attempt.attemptId };
}

export type DeliveryView = {
  id: string;
  messageId: string;
  type: string;
  attempt: number;
  replay: boolean;
  status: WebhookAttemptStatus;
  responseStatus: number | null;
  latencyMs: number | null;
  responseBody: string | null;
  error: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  attemptedAt: Date | null;
};

/**
 * The endpoint's tries, newest first (every one: status, answer's code, latency, the answer's first
 * bytes), optionally of one event type or one status (`exhausted`: messages that ran out of tries).
 * `before` pages on (an attempt's created_at).
 */
export async function listDeliveries(
  db: Executor,
  actor: WebhookActor,
  endpointId: string,
  {
    type,
    status,
    before,
    limit = 50,
  }: { type?: string; status?: WebhookAttemptStatus; before?: Date; limit?: number } = {},
): Promise<DeliveryView[]> {
  await getEndpoint(db, actor, endpointId);
  return db
    .select({
      id: webhookAttempts.id,
      messageId: webhookAttempts.messageId,
      type: webhookMessages.type,
      attempt: webhookAttempts.attempt,
      replay: webhookAttempts.replay,
      status: webhookAttempts.status,
      responseStatus: webhookAttempts.responseStatus,
      latencyMs: webhookAttempts.latencyMs,
      responseBody: webhookAttempts.responseBody,
      error: webhookAttempts.error,
      nextAttemptAt: webhookAttempts.nextAttemptAt,
      createdAt: webhookAttempts.createdAt,
      attemptedAt: webhookAttempts.attemptedAt,
    })
    .from(webhookAttempts)
    .innerJoin(webhookMessages, eq(webhookMessages.id, webhookAttempts.messageId))
    .where(
      and(
        eq(webhookAttempts.endpointId, endpointId),
        type ? eq(webhookMessages.type, type) : undefined,
        status ? eq(webhookAttempts.status, status) : undefined,
        before ? lt(webhookAttempts.createdAt, before) : undefined,
      ),
    )
    .orderBy(desc(webhookAttempts.createdAt), desc(webhookAttempts.attempt))
    .limit(Math.min(Math.max(limit, 1), 200));
}
