import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

// ---------------------------------------------------------------------------
// Better Auth tables (names and columns are the ones its Drizzle adapter expects)
// ---------------------------------------------------------------------------

export const user = pgTable("user", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  /**
   * When the current address was confirmed (null while it is not). Kept by a trigger (migration 0009),
   * so every path that confirms or changes an address moves it: Better Auth's links, a reset, a script.
   * The emails sent to the address before this moment are not the account's (lib/email/owner.ts).
   */
  emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
  image: text("image"),
  /**
   * Better Auth's admin plugin: "admin" for operators, "user" otherwise. A mirror the plugin reads, written by
   * lib/auth/operators.ts from ADMIN_EMAILS; never the authority (an edited row makes nobody an operator).
   */
  role: text("role"),
  /** Banned by an operator (/admin): no new session is made, and the ban ended every open one. */
  banned: boolean("banned").default(false),
  banReason: text("ban_reason"),
  /** When the ban lifts by itself (null: until an operator lifts it). */
  banExpires: timestamp("ban_expires", { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const session = pgTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    token: text("token").notNull().unique(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    /** Better Auth's organization plugin keeps it; the app never acts on it (the team is in the URL). */
    activeOrganizationId: text("active_organization_id").references((): AnyPgColumn => organization.id, {
      onDelete: "set null",
    }),
    /**
     * The operator's user id when an operator opened this session to see the app as its user (at most an hour).
     * Deleting the operator's account ends the session with it (never left as the user's own session).
     */
    impersonatedBy: text("impersonated_by").references((): AnyPgColumn => user.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("session_user_id_idx").on(t.userId),
    // Deleting an account looks its impersonation sessions up through this key (the cascade): without an index
    // that is a scan of every session. Partial: only impersonations carry the column.
    index("session_impersonated_by_idx")
      .on(t.impersonatedBy)
      .where(sql`${t.impersonatedBy} is not null`),
  ],
);

export const account = pgTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("account_user_id_idx").on(t.userId)],
);

export const verification = pgTable(
  "verification",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("verification_identifier_idx").on(t.identifier)],
);

// ---------------------------------------------------------------------------
// Teams: Better Auth's organization plugin tables (lib/teams does the work)
// ---------------------------------------------------------------------------

export const teamRoles = ["owner", "admin", "member"] as const;
export type TeamRole = (typeof teamRoles)[number];

export const organization = pgTable("organization", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** The team's address: /t/<slug>. */
  slug: text("slug").notNull().unique(),
  logo: text("logo"),
  metadata: text("metadata"),
  /** The team every user gets at sign-up: nobody joins it, and it goes with its owner's account. */
  personal: boolean("personal").notNull().default(false),
  /** Set the first time the team starts a Stripe Checkout; reused afterwards. */
  stripeCustomerId: text("stripe_customer_id").unique(),
  /**
   * Counts membership changes; the seat sync sends Stripe the member count with this as part of
   * its idempotency key, and records the version it synced, so the sweeper retries what Stripe missed.
   */
  seatsVersion: integer("seats_version").notNull().default(0),
  seatsSyncedVersion: integer("seats_synced_version").notNull().default(0),
  /** When the nightly reconciliation last asked Stripe about this team: it takes the longest-unchecked first. */
  billingCheckedAt: timestamp("billing_checked_at", { withTimezone: true }),
  createdAt: createdAt(),
});

export const member = pgTable(
  "member",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    role: text("role", { enum: teamRoles }).notNull().default("member"),
    createdAt: createdAt(),
  },
  (t) => [
    // One membership per person and team: a second accept or a race cannot seat anyone twice.
    uniqueIndex("member_organization_id_user_id_key").on(t.organizationId, t.userId),
    index("member_user_id_idx").on(t.userId),
  ],
);

export const invitationStatuses = ["pending", "accepted", "rejected", "canceled"] as const;
export type InvitationStatus = (typeof invitationStatuses)[number];

export const invitation = pgTable(
  "invitation",
  {
    /** Random and unguessable: the invitation link carries it. */
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    /** Lower-cased; only a confirmed account with this address can accept. */
    email: text("email").notNull(),
    role: text("role", { enum: teamRoles }).notNull().default("member"),
    status: text("status", { enum: invitationStatuses }).notNull().default("pending"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    inviterId: text("inviter_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
  },
  (t) => [
    index("invitation_organization_id_idx").on(t.organizationId, t.status),
    index("invitation_email_idx").on(t.email),
  ],
);

// ---------------------------------------------------------------------------
// The public API: Better Auth's API key plugin's table, and idempotency keys
// ---------------------------------------------------------------------------

/** API keys, as @better-auth/api-key stores them: only a hash of the key, and its first characters to show. */
export const apikey = pgTable(
  "apikey",
  {
    id: text("id").primaryKey(),
    configId: text("config_id").notNull().default("default"),
    name: text("name"),
    /** The key's first characters (its prefix included), shown in lists to tell keys apart. */
    start: text("start"),
    /** The team that owns the key (the plugin's `references: "organization"`). */
    referenceId: text("reference_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    prefix: text("prefix"),
    /**
     * The owner or admin who made the key (our column, not the plugin's). The key acts as them, within its scopes,
     * while they are still one of the team's owners or admins; it is removed with their account.
     */
    createdBy: text("created_by").references(() => user.id, { onDelete: "cascade" }),
    /** SHA-256 of the key (base64url): the key itself is shown once, at creation, and never stored. */
    key: text("key").notNull(),
    refillInterval: bigint("refill_interval", { mode: "number" }),
    refillAmount: integer("refill_amount"),
    lastRefillAt: timestamp("last_refill_at", { withTimezone: true }),
    enabled: boolean("enabled").default(true),
    rateLimitEnabled: boolean("rate_limit_enabled").default(true),
    rateLimitTimeWindow: bigint("rate_limit_time_window", { mode: "number" }).default(86_400_000),
    rateLimitMax: integer("rate_limit_max").default(10),
    requestCount: integer("request_count").default(0),
    remaining: integer("remaining"),
    /** When the key was last used (written at most once a minute by the API's key check). */
    lastRequest: timestamp("last_request", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    /** The key's scopes, as the plugin stores permissions: JSON `{"recipes":["read","write"]}`. */
    permissions: text("permissions"),
    metadata: text("metadata"),
  },
  (t) => [
    uniqueIndex("apikey_key_idx").on(t.key),
    index("apikey_reference_id_idx").on(t.referenceId),
    index("apikey_config_id_idx").on(t.configId),
  ],
);

export const idempotencyStates = ["in-flight", "done"] as const;

/**
 * The first answer to each `Idempotency-Key` a team sent, for 24 hours: a repeat with the same
 * body gets it again, another body gets 422, a repeat while the first runs gets 409.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    /** SHA-256 of the method, path and body: the same key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    state: text("state", { enum: idempotencyStates }).notNull().default("in-flight"),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    /** The answer's headers a replay repeats (Location, ETag). */
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.key] }), index("idempotency_keys_created_at_idx").on(t.createdAt)],
);

// ---------------------------------------------------------------------------
// The recipe box
// ---------------------------------------------------------------------------

export const recipes = pgTable(
  "recipes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The team the recipe belongs to: every read and write names it. */
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    /** The member who wrote it (members edit their own); null once that account is deleted. */
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    /** One ingredient per entry, in the order the author wrote them. */
    ingredients: text("ingredients")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The method, one step per entry, in order. */
    steps: text("steps")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    published: boolean("published").notNull().default(false),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** Goes up by one with every change: the public API's ETag, and its If-Match check. */
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("recipes_organization_id_idx").on(t.organizationId, t.createdAt),
    index("recipes_published_idx").on(t.published, t.publishedAt),
  ],
);

// ---------------------------------------------------------------------------
// The webhook inbox: every verified provider event, stored before it is processed
// ---------------------------------------------------------------------------

export const webhookEventStatuses = ["pending", "processing", "processed", "failed", "dead"] as const;
export type WebhookEventStatus = (typeof webhookEventStatuses)[number];

export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    status: text("status", { enum: webhookEventStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    requestId: text("request_id"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    /** When a failed (or stuck processing) event may be tried again. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    lockedAt: timestamp("locked_at", { withTimezone: true }),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    // Dedupes redeliveries (ON CONFLICT DO NOTHING) and finds the event a job names.
    uniqueIndex("webhook_events_provider_event_id_key").on(t.provider, t.eventId),
    // The sweeper's claim, oldest first: only unfinished rows, so it stays small however many are processed.
    index("webhook_events_due_idx")
      .on(t.receivedAt)
      .where(sql`${t.status} in ('pending', 'failed', 'processing')`),
    // Retention: processed events past their days.
    index("webhook_events_processed_at_idx")
      .on(t.processedAt)
      .where(sql`${t.status} = 'processed'`),
    // /dev/webhooks, newest first.
    index("webhook_events_received_at_idx").on(t.receivedAt),
  ],
);

// ---------------------------------------------------------------------------
// Email pipeline
// ---------------------------------------------------------------------------

export const emailStatuses = ["queued", "sent", "delivered", "bounced", "complained", "failed", "suppressed"] as const;
export type EmailStatus = (typeof emailStatuses)[number];

export const emails = pgTable(
  "emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    to: text("to").notNull(),
    template: text("template").notNull(),
    subject: text("subject").notNull(),
    /** The template's props, so a retried job renders the same email. */
    props: jsonb("props").notNull().default({}),
    status: text("status", { enum: emailStatuses }).notNull().default("queued"),
    providerId: text("provider_id").unique(),
    /** "resend" or "outbox" (the local dev outbox). */
    transport: text("transport"),
    html: text("html"),
    text: text("text"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    /** Set while a job is sending it, so a job that runs twice at once sends once. */
    lockedAt: timestamp("locked_at", { withTimezone: true }),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The sweeper's claim, oldest first: only emails still to send.
    index("emails_due_idx")
      .on(t.createdAt)
      .where(sql`${t.status} in ('queued', 'failed')`),
    // Retention: emails that still hold a body or props (cleared ones leave the index).
    index("emails_body_created_at_idx")
      .on(t.createdAt)
      .where(sql`${t.html} is not null or ${t.text} is not null or ${t.props} <> '{}'::jsonb`),
    index("emails_to_idx").on(t.to),
  ],
);

export const emailSuppressions = pgTable("email_suppressions", {
  email: text("email").primaryKey(),
  reason: text("reason", { enum: ["bounced", "complained", "manual"] }).notNull(),
  sourceEventId: text("source_event_id"),
  createdAt: createdAt(),
});

// ---------------------------------------------------------------------------
// Contact form
// ---------------------------------------------------------------------------

export const contactMessages = pgTable(
  "contact_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    subject: text("subject").notNull(),
    message: text("message").notNull(),
    ip: text("ip"),
    requestId: text("request_id"),
    createdAt: createdAt(),
  },
  (t) => [index("contact_messages_created_at_idx").on(t.createdAt)],
);

// ---------------------------------------------------------------------------
// Billing
// ---------------------------------------------------------------------------

export const subscriptions = pgTable(
  "subscriptions",
  {
    /** Stripe's subscription id (sub_...). */
    id: text("id").primaryKey(),
    /** The team that pays; null once the team is deleted: the payment record stays for the books, with no name on it. */
    organizationId: text("organization_id").references(() => organization.id, { onDelete: "set null" }),
    customerId: text("customer_id").notNull(),
    /** Seats: Pro is billed per member; the seat sync keeps it equal to the team's member count. */
    quantity: integer("quantity").notNull().default(1),
    status: text("status").notNull(),
    priceId: text("price_id"),
    currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    /** `event.created` of the newest Stripe event applied; older events change nothing. */
    lastEventAt: timestamp("last_event_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("subscriptions_organization_id_idx").on(t.organizationId),
    index("subscriptions_customer_id_idx").on(t.customerId),
  ],
);

// ---------------------------------------------------------------------------
// AI: every model call, for the per-plan daily quota and the audit trail
// ---------------------------------------------------------------------------

export const aiGenerationKinds = ["recipe-draft", "week-plan"] as const;
export type AiGenerationKind = (typeof aiGenerationKinds)[number];
export const aiGenerationStatuses = ["pending", "succeeded", "failed", "aborted"] as const;
export type AiGenerationStatus = (typeof aiGenerationStatuses)[number];

export const aiGenerations = pgTable(
  "ai_generations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The team whose daily quota the call counts against. */
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    /** Who asked. */
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: aiGenerationKinds }).notNull(),
    /** "provider:model-id", as AI_MODEL names it. */
    model: text("model").notNull(),
    /** Inserted as pending before the model is called, so the row itself reserves quota. */
    status: text("status", { enum: aiGenerationStatuses }).notNull().default("pending"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    error: text("error"),
    /** The stored outcome of background generations (a week plan); drafts live in the user's form instead. */
    result: jsonb("result"),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("ai_generations_organization_kind_created_idx").on(t.organizationId, t.kind, t.createdAt),
    index("ai_generations_user_id_idx").on(t.userId),
  ],
);

// ---------------------------------------------------------------------------
// Recipe photos: objects in the bucket, one row each (see lib/uploads)
// ---------------------------------------------------------------------------

export const uploadStatuses = ["pending", "attached"] as const;
export type UploadStatus = (typeof uploadStatuses)[number];

export const uploads = pgTable(
  "uploads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** `<organizationId>/<uuid>` (`<userId>/<uuid>` before teams): the object's key in the bucket. */
    key: text("key").notNull().unique(),
    /** The team whose recipe (and photo storage) it is. */
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    /** Who uploaded it; null once that account is deleted (the team's photo stays). */
    userId: text("user_id").references(() => user.id, { onDelete: "set null" }),
    /** Null once the recipe is gone or the photo was replaced: the object is then due for deletion. */
    recipeId: uuid("recipe_id").references(() => recipes.id, { onDelete: "set null" }),
    contentType: text("content_type").notNull(),
    /** Declared size while pending, the stored object's size once attached. */
    size: integer("size").notNull(),
    status: text("status", { enum: uploadStatuses }).notNull().default("pending"),
    /** When the presigned POST's policy expires: an object written later was not written with it. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("uploads_organization_id_idx").on(t.organizationId, t.status),
    index("uploads_user_id_idx").on(t.userId),
    index("uploads_recipe_id_idx").on(t.recipeId),
    index("uploads_status_created_at_idx").on(t.status, t.createdAt),
  ],
);

// ---------------------------------------------------------------------------
// Real-time (lib/realtime)
// ---------------------------------------------------------------------------

export const realtimeEvents = pgTable(
  "realtime_events",
  {
    /** Ordered: the SSE `id:`, and what a reconnecting client sends back as Last-Event-ID. */
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Whose streams get it: one user's, or (organization_id) every member's of a team. */
    userId: text("user_id").references(() => user.id, { onDelete: "cascade" }),
    organizationId: text("organization_id").references(() => organization.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    data: jsonb("data").notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("realtime_events_user_id_id_idx").on(t.userId, t.id),
    index("realtime_events_organization_id_id_idx").on(t.organizationId, t.id),
    index("realtime_events_created_at_idx").on(t.createdAt),
  ],
);

// ---------------------------------------------------------------------------
// Outbound webhooks (lib/webhooks-out): the team's endpoints, the messages its changes announce,
// and every try at delivering one
// ---------------------------------------------------------------------------

export const webhookEndpointDisabledReasons = ["manual", "gone", "failing"] as const;
export type WebhookEndpointDisabledReason = (typeof webhookEndpointDisabledReasons)[number];

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    /** The event types it wants; null for every type. */
    eventTypes: text("event_types").array(),
    /** `whsec_…`, the Standard Webhooks signing secret: shown once, at creation or rotation. */
    secret: text("secret").notNull(),
    /** The secret before the last rotation, still signed with (beside the new one) until it expires. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    enabled: boolean("enabled").notNull().default(true),
    /** Why it is off: an admin turned it off, it answered 410 Gone, or it failed for 5 days. */
    disabledReason: text("disabled_reason", { enum: webhookEndpointDisabledReasons }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /** When its current run of failures began (null while it succeeds): 5 days of them disable it. */
    failingSince: timestamp("failing_since", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("webhook_endpoints_organization_id_idx").on(t.organizationId, t.createdAt)],
);

export const webhookMessages = pgTable(
  "webhook_messages",
  {
    /** `msg_…`: the `webhook-id` header of every attempt at delivering it, and Svix's idempotency key. */
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    /** The body sent: `{type, timestamp, data}`. */
    payload: jsonb("payload").notNull(),
    /** Set for a test event: it goes to this endpoint only. */
    endpointId: uuid("endpoint_id").references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    /** When it was fanned out (its attempts written, or handed to Svix); null until then, for the sweeper. */
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
  },
  (t) => [
    index("webhook_messages_organization_id_idx").on(t.organizationId, t.createdAt),
    // The sweeper's find: messages whose fan-out never ran (a lost job), oldest first.
    index("webhook_messages_undispatched_idx")
      .on(t.createdAt)
      .where(sql`${t.dispatchedAt} is null`),
    // Retention.
    index("webhook_messages_created_at_idx").on(t.createdAt),
  ],
);

export const webhookAttemptStatuses = ["pending", "succeeded", "failed", "exhausted"] as const;
export type WebhookAttemptStatus = (typeof webhookAttemptStatuses)[number];

export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    messageId: text("message_id")
      .notNull()
      .references(() => webhookMessages.id, { onDelete: "cascade" }),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** 1 for the first try, up to 8 on the retry schedule; a replay continues the count. */
    attempt: integer("attempt").notNull(),
    /** An admin's replay (a single try) rather than the schedule. */
    replay: boolean("replay").notNull().default(false),
    /** pending (due at next_attempt_at), succeeded (2xx), failed (retried by a later row), exhausted (no more tries). */
    status: text("status", { enum: webhookAttemptStatuses }).notNull().default("pending"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** A worker holds it until then; a worker that died lets it go when it passes. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    responseStatus: integer("response_status"),
    /** Request sent to answer (or failure). */
    latencyMs: integer("latency_ms"),
    /** The first 4 KiB of the answer's body. */
    responseBody: text("response_body"),
    /** Why it failed without an answer (timeout, refused address, connection error). */
    error: text("error"),
    createdAt: createdAt(),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }),
  },
  (t) => [
    // One row per try: a fan-out or retry that runs twice writes it once.
    uniqueIndex("webhook_attempts_message_endpoint_attempt_key").on(t.messageId, t.endpointId, t.attempt),
    // The sweeper's claim: only tries still to make.
    index("webhook_attempts_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    // The deliveries page, newest first.
    index("webhook_attempts_endpoint_id_idx").on(t.endpointId, t.createdAt),
  ],
);

export type User = typeof user.$inferSelect;
export type Team = typeof organization.$inferSelect;
export type Member = typeof member.$inferSelect;
export type Invitation = typeof invitation.$inferSelect;
export type ApiKeyRow = typeof apikey.$inferSelect;
export type Recipe = typeof recipes.$inferSelect;
export type WebhookEvent = typeof webhookEvents.$inferSelect;
export type Email = typeof emails.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type AiGeneration = typeof aiGenerations.$inferSelect;
export type Upload = typeof uploads.$inferSelect;
export type RealtimeEventRow = typeof realtimeEvents.$inferSelect;

// ---------------------------------------------------------------------------
// Rate limits counted in PostgreSQL (lib/ratelimit/limiter.ts): DATABASE_URL set, Upstash not
// ---------------------------------------------------------------------------

// Its migration (0010) creates it UNLOGGED, by hand: drizzle-kit has no option for it. Counts that
// matter for a minute need no write-ahead log (a check then costs Postgres a third of the CPU); a
// crash or a failover to a replica empties the table, which only starts every window afresh.

export const rateLimits = pgTable(
  "rate_limits",
  {
    /** A hash of the limit's name and the key it counts (an address, a user id), never the key itself. */
    key: text("key").primaryKey(),
    /** Requests counted in the current window, refused ones included. */
    points: integer("points").notNull(),
    /** When the current window ends: the next request after it starts a new one. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  // Deleting windows that ended, a batch at a time.
  (t) => [index("rate_limits_expires_at_idx").on(t.expiresAt)],
);
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookMessage = typeof webhookMessages.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;

// ---------------------------------------------------------------------------
// Audit log (lib/audit): append-only, one hash chain per team (and one for account-level events)
// ---------------------------------------------------------------------------

export const auditActorTypes = ["user", "api_key", "system", "provider"] as const;
export type AuditActorType = (typeof auditActorTypes)[number];

// Its migration (0012) adds, by hand, the trigger that refuses UPDATE and DELETE except retention's
// deletion and a deleted user's pseudonymisation (docs/audit.md).
export const auditEvents = pgTable(
  "audit_events",
  {
    /** Ordered: the chain's order within a team, the page's and the API's cursor. */
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /**
     * The team (null for account-level events). No foreign key on purpose: a cascade or SET NULL
     * would delete or rewrite rows the trigger protects (and move them between chains), and a
     * NO ACTION key would forbid deleting a team that has a history. The events outlive the team.
     */
    organizationId: text("organization_id"),
    actorType: text("actor_type", { enum: auditActorTypes }).notNull(),
    actorId: text("actor_id"),
    /** What the page shows for the actor (a name, a key's name); a pseudonym once the user is deleted. */
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * HMAC-SHA256 of the label and metadata under `personal_salt`: the chain covers this digest
     * rather than the words, so pseudonymising a row (which forgets the salt) keeps its hash valid.
     */
    personalDigest: text("personal_digest").notNull(),
    /** Random per row; null once the row is pseudonymised, so the digest can no longer be checked against a guess. */
    personalSalt: text("personal_salt"),
    /** The hash of the team's previous row (null for a chain's first row). */
    prevHash: text("prev_hash"),
    hash: text("hash").notNull(),
  },
  (t) => [
    // The team's log newest first, and the chain's last row (read under the chain's lock).
    index("audit_events_organization_id_id_idx").on(t.organizationId, t.id.desc()),
    // Retention.
    index("audit_events_occurred_at_idx").on(t.occurredAt),
    // An operator's page of a user (/admin/users/<id>): what they did, and what was done to them, newest first.
    index("audit_events_user_actor_idx")
      .on(t.actorId, t.id.desc())
      .where(sql`${t.actorType} = 'user'`),
    index("audit_events_user_target_idx")
      .on(t.targetId, t.id.desc())
      .where(sql`${t.targetType} = 'user'`),
    // A chain never forks: two rows after the same row of one team is a lost lock, refused loudly.
    unique("audit_events_chain_link_key").on(t.organizationId, t.prevHash).nullsNotDistinct(),
  ],
);
export type AuditEventRow = typeof auditEvents.$inferSelect;
