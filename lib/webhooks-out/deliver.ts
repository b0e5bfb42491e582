import "server-only";
import { and, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { env } from "@/lib/core/env";
import { logger } from "@/lib/core/logger";
import { recordAudit, systemActor, type AuditActor } from "@/lib/audit";
import { schema, transaction, type AfterCommit, type Executor } from "@/lib/db";
import type { WebhookEndpointDisabledReason } from "@/lib/db/schema";
import { sendEmail } from "@/lib/email";
import { teamPermissions } from "@/lib/teams/permissions";
import { FAILING_DISABLE_AFTER_MS, MAX_ATTEMPTS, retryDelayMs } from "./retry";
import { signatureHeaders } from "./signing";
import { DELIVERY_TIMEOUT_MS, postWebhook, type PostOptions } from "./transport";

const { member, organization, user, webhookAttempts, webhookEndpoints, webhookMessages } = schema;

/**
 * Tries to one endpoint at once, at most. A dead endpoint holds its own few slots (each for the
 * 15 s timeout) and nobody else's: every other endpoint has lanes of its own (lib/jobs `lane`).
 */
export const ENDPOINT_MAX_IN_FLIGHT = 4;

/** How long a claimed try is a worker's: the request's deadline and a margin. A worker that died lets it go then. */
export const ATTEMPT_LOCK_MS = DELIVERY_TIMEOUT_MS + 15_000;

export type DeliveryOutcome =
  /** Not due, taken by another worker, or finished already. */
  | { result: "skipped" }
  | { result: "succeeded"; status: number; latencyMs: number }
  | {
      result: "failed";
      status: number | null;
      /** The next try, when there is one. */
      next: { attemptId: string; endpointId: string; at: Date } | null;
      /** The endpoint was turned off by this failure. */
      disabled: WebhookEndpointDisabledReason | null;
    };

export type DeliverOptions = {
  /** The clock (tests move it forward instead of waiting). */
  now?: Date;
  post?: PostOptions;
};

/**
 * Makes one try of one message at one endpoint: claims the row (one worker wins), signs the body
 * (both secrets during a rotation) and POSTs it, then records the answer in one transaction. Only a
 * 2xx counts. A failure schedules the next try on the retry schedule (honouring `Retry-After`),
 * except that `410 Gone` turns the endpoint off, five days of failures turn it off and tell the
 * team's admins, and the eighth failure (or a failed replay) leaves the message exhausted.
 * No database connection is held while the request is out.
 */
export async function deliverAttempt(db: Executor, attemptId: string, options: DeliverOptions = {}) {
  const now = options.now ?? new Date();
  const [claimed] = await db
    .update(webhookAttempts)
    .set({ lockedUntil: new Date(now.getTime() + ATTEMPT_LOCK_MS) })
    .where(
      and(
        eq(webhookAttempts.id, attemptId),
        eq(webhookAttempts.status, "pending"),
        // A delayed job's timer may fire a moment before the row's time.
        lte(webhookAttempts.nextAttemptAt, new Date(now.getTime() + 1_000)),
        or(isNull(webhookAttempts.lockedUntil), lt(webhookAttempts.lockedUntil, now)),
      ),
    )
    .returning();
  if (!claimed) return { result: "skipped" } satisfies DeliveryOutcome;
  const [found] = await db
    .select({ message: webhookMessages, endpoint: webhookEndpoints })
    .from(webhookMessages)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, claimed.endpointId))
    .where(eq(webhookMessages.id, claimed.messageId));
  if (!found) return { result: "skipped" } satisfies DeliveryOutcome;
  const { message, endpoint } = found;
  const log = logger.child({
    messageId: message.id,
    endpointId: endpoint.id,
    teamId: endpoint.organizationId,
    type: message.type,
    attempt: claimed.attempt,
  });

  // A test event goes to the endpoint it tests, even one that is off; nothing else reaches an endpoint that is off.
  if (!endpoint.enabled && message.endpointId !== endpoint.id) {
    await db
      .update(webhookAttempts)
      .set({ status: "exhausted", error: "Not sent: the endpoint is turned off.", lockedUntil: null, attemptedAt: now })
      .where(and(eq(webhookAttempts.id, claimed.id), eq(webhookAttempts.status, "pending")));
    log.info("webhook not sent: the endpoint is off");
    return { result: "failed", status: null, next: null, disabled: null } satisfies DeliveryOutcome;
  }

  const body = JSON.stringify(message.payload);
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now)
    secrets.push(endpoint.previousSecret);
  const answer = await postWebhook(endpoint.url, signatureHeaders(secrets, message.id, body, now), body, options.post);
  const finishedAt = options.now ?? new Date();
  const succeeded = answer.ok && answer.status >= 200 && answer.status < 300;
  const recorded = {
    responseStatus: answer.ok ? answer.status : null,
    latencyMs: answer.latencyMs,
    responseBody: answer.ok ? answer.body : null,
    error: answer.ok ? (succeeded ? null : `HTTP ${answer.status}`) : answer.error,
    attemptedAt: finishedAt,
    lockedUntil: null,
  };
  const mine = and(eq(webhookAttempts.id, claimed.id), eq(webhookAttempts.status, "pending"));

  if (succeeded) {
    await db.transaction(async (tx) => {
      await tx
        .update(webhookAttempts)
        .set({ ...recorded, status: "succeeded" })
        .where(mine);
      await tx
        .update(webhookEndpoints)
        .set({ failingSince: null })
        .where(and(eq(webhookEndpoints.id, endpoint.id), sql`${webhookEndpoints.failingSince} is not null`));
    });
    log.info({ status: answer.status, latencyMs: answer.latencyMs }, "webhook delivered");
    return { result: "succeeded", status: answer.status, latencyMs: answer.latencyMs } satisfies DeliveryOutcome;
  }

  const outcome = await transaction(db, async (tx, afterCommit): Promise<DeliveryOutcome> => {
    const failingSince = endpoint.failingSince ?? finishedAt;
    let disabled: WebhookEndpointDisabledReason | null = null;
    if (answer.ok && answer.status === 410) disabled = "gone";
    else if (finishedAt.getTime() - failingSince.getTime() >= FAILING_DISABLE_AFTER_MS) disabled = "failing";
    const last = claimed.replay || claimed.attempt >= MAX_ATTEMPTS || disabled !== null;
    const [written] = await tx
      .update(webhookAttempts)
      .set({ ...recorded, status: last ? "exhausted" : "failed" })
      .where(mine)
      .returning({ id: webhookAttempts.id });
    // Another worker took the try over (this one outlived its lock) and recorded it first.
    if (!written) return { result: "skipped" };
    if (disabled) {
      await disableEndpoint(tx, afterCommit, endpoint.id, disabled, recorded.error ?? "unknown");
      return { result: "failed", status: recorded.responseStatus, next: null, disabled };
    }
    await tx
      .update(webhookEndpoints)
      .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${finishedAt.toISOString()}::timestamptz)` })
      .where(eq(webhookEndpoints.id, endpoint.id));
    if (last) return { result: "failed", status: recorded.responseStatus, next: null, disabled: null };
    const at = new Date(
      finishedAt.getTime() +
        retryDelayMs(claimed.attempt + 1, answer.ok ? answer.retryAfter : null, finishedAt.getTime()),
    );
    const [next] = await tx
      .insert(webhookAttempts)
      .values({ messageId: message.id, endpointId: endpoint.id, attempt: claimed.attempt + 1, nextAttemptAt: at })
      .onConflictDoNothing()
      .returning({ id: webhookAttempts.id });
    return {
      result: "failed",
      status: recorded.responseStatus,
      next: next ? { attemptId: next.id, endpointId: endpoint.id, at } : null,
      disabled: null,
    };
  });
  if (outcome.result === "failed")
    log.warn(
      { status: outcome.status, latencyMs: answer.latencyMs, nextAt: outcome.next?.at, disabled: outcome.disabled },
      answer.ok ? "webhook answered with a failure" : `webhook not delivered: ${answer.error}`,
    );
  return outcome;
}

/**
 * Turns an endpoint off (if it is on), in the caller's transaction. When the app does it by
 * itself (`gone`, `failing`), the team's owners and admins get an email. Returns whether it changed.
 */
export async function disableEndpoint(
  tx: Executor,
  afterCommit: AfterCommit,
  endpointId: string,
  reason: WebhookEndpointDisabledReason,
  lastError = "",
  actor: AuditActor = systemActor("webhook delivery"),
): Promise<boolean> {
  const [endpoint] = await tx
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: reason, disabledAt: new Date() })
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.enabled, true)))
    .returning();
  if (!endpoint) return false;
  logger.warn({ endpointId, teamId: endpoint.organizationId, reason }, "webhook endpoint turned off");
  await recordAudit(tx, {
    teamId: endpoint.organizationId,
    actor,
    action: "webhook_endpoint.disabled",
    target: { type: "webhook_endpoint", id: endpoint.id },
    metadata: { reason, origin: new URL(endpoint.url).origin },
  });
  if (reason === "manual") return true;
  const admins = await tx
    .select({ email: user.email, teamName: organization.name, slug: organization.slug })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .innerJoin(organization, eq(organization.id, member.organizationId))
    .where(
      and(
        eq(member.organizationId, endpoint.organizationId),
        inArray(member.role, [...teamPermissions["webhooks:manage"]]),
      ),
    );
  const url = new URL(endpoint.url);
  for (const admin of admins) {
    await sendEmail(
      tx,
      {
        to: admin.email,
        template: "webhook-endpoint-disabled",
        props: {
          teamName: admin.teamName,
          endpoint: `${url.origin}${url.pathname}`,
          reason,
          lastError,
          manageUrl: `${env.appUrl}/t/${admin.slug}/webhooks/${endpoint.id}`,
        },
      },
      { afterCommit },
    );
  }
  return true;
}
