import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
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
  image: text("image"),
  /** Set the first time the user starts a Stripe Checkout; reused afterwards. */
  stripeCustomerId: text("stripe_customer_id").unique(),
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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("session_user_id_idx").on(t.userId)],
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
// The recipe box
// ---------------------------------------------------------------------------

export const recipes = pgTable(
  "recipes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("recipes_user_id_idx").on(t.userId, t.createdAt),
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
    /** Null once the user deleted their account: the payment record stays for the books, with no one's name on it. */
    userId: text("user_id").references(() => user.id, { onDelete: "set null" }),
    customerId: text("customer_id").notNull(),
    status: text("status").notNull(),
    priceId: text("price_id"),
    currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    /** `event.created` of the newest Stripe event applied; older events change nothing. */
    lastEventAt: timestamp("last_event_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("subscriptions_user_id_idx").on(t.userId), index("subscriptions_customer_id_idx").on(t.customerId)],
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
  (t) => [index("ai_generations_user_kind_created_idx").on(t.userId, t.kind, t.createdAt)],
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
    /** `<userId>/<uuid>`: the object's key in the bucket. */
    key: text("key").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
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
    index("uploads_user_id_idx").on(t.userId, t.status),
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
    /** Whose stream gets it; null is the dev tools' feed (outbox, webhook inbox), never a user's. */
    userId: text("user_id").references(() => user.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    data: jsonb("data").notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("realtime_events_user_id_id_idx").on(t.userId, t.id),
    index("realtime_events_created_at_idx").on(t.createdAt),
  ],
);

export type User = typeof user.$inferSelect;
export type Recipe = typeof recipes.$inferSelect;
export type WebhookEvent = typeof webhookEvents.$inferSelect;
export type Email = typeof emails.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type AiGeneration = typeof aiGenerations.$inferSelect;
export type Upload = typeof uploads.$inferSelect;
export type RealtimeEventRow = typeof realtimeEvents.$inferSelect;
