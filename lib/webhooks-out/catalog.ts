import { z } from "zod";

/**
 * The events the app announces to its teams' webhook endpoints: each type, what its `data` holds
 * (a zod schema, which also feeds the OpenAPI document's `webhooks` section), and a sample. Every
 * body is `{type, timestamp, data}`. No `server-only`: docs, pages and the OpenAPI document read it.
 */

const isoDate = z.iso.datetime({ offset: true });

export const recipeData = z
  .object({
    id: z.uuid(),
    team_id: z.string(),
    title: z.string(),
    description: z.string(),
    ingredients: z.array(z.string()),
    steps: z.array(z.string()),
    published: z.boolean(),
    published_at: isoDate.nullable(),
    /** Goes up by one with every change (the public API's ETag is `"v<version>"`). */
    version: z.int().min(1),
    /** The member who wrote it; null once their account is deleted. */
    created_by: z.string().nullable(),
    created_at: isoDate,
    updated_at: isoDate,
  })
  .meta({ id: "WebhookRecipe", description: "The recipe as it is after the change (as it was, for a deletion)." });

export const memberData = z
  .object({
    team_id: z.string(),
    user_id: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    /** Their role in the team; null once they are removed. */
    role: z.enum(["owner", "admin", "member"]).nullable(),
  })
  .meta({ id: "WebhookMember" });

export const subscriptionData = z
  .object({
    team_id: z.string(),
    /** The plan the team is on now. */
    plan: z.enum(["free", "pro"]),
    subscription: z.object({
      id: z.string(),
      status: z.string(),
      /** Seats: one per member. */
      quantity: z.number().int(),
      current_period_end: isoDate.nullable(),
      cancel_at_period_end: z.boolean(),
    }),
  })
  .meta({ id: "WebhookSubscription" });

export const testData = z
  .object({ endpoint_id: z.string(), message: z.string() })
  .meta({ id: "WebhookTest", description: "Sent by “Send test event” to that one endpoint only." });

const sampleRecipe = {
  id: "5f1c2b0e-8a4d-4e1b-9c7a-2d3e4f5a6b7c",
  team_id: "9b2f6c1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e",
  title: "Tomato soup",
  description: "Quick and red.",
  ingredients: ["6 tomatoes", "1 onion", "500 ml stock"],
  steps: ["Soften the onion.", "Add tomatoes and stock, simmer 20 minutes.", "Blend."],
  published: true,
  published_at: "2026-12-01T09:30:00.000Z",
  version: 3,
  created_by: "u_3kq9X2mZ",
  created_at: "2026-12-01T09:00:00.000Z",
  updated_at: "2026-12-01T09:30:00.000Z",
};

const sampleMember = {
  team_id: sampleRecipe.team_id,
  user_id: "u_7Hc2pQ1w",
  name: "Ada Cook",
  email: "ada@example.com",
  role: "member" as const,
};

/** Every type an endpoint may subscribe to, with what it means, its data and a sample of it. */
export const webhookEventCatalog = {
  "recipe.created": {
    description: "A recipe was written.",
    data: recipeData,
    sample: { ...sampleRecipe, published: false, published_at: null },
  },
  "recipe.updated": {
    description: "A recipe's title, description, ingredients or steps changed.",
    data: recipeData,
    sample: sampleRecipe,
  },
  "recipe.published": {
    description: "A recipe was published (it is on the landing page).",
    data: recipeData,
    sample: sampleRecipe,
  },
  "recipe.unpublished": {
    description: "A published recipe was taken off the landing page.",
    data: recipeData,
    sample: { ...sampleRecipe, published: false, published_at: null },
  },
  "recipe.deleted": {
    description: "A recipe was deleted: `data` is what it held.",
    data: recipeData,
    sample: sampleRecipe,
  },
  "member.added": {
    description: "Someone joined the team (an accepted invitation, or added directly).",
    data: memberData,
    sample: sampleMember,
  },
  "member.removed": {
    description: "Someone left the team or was removed.",
    data: memberData,
    sample: { ...sampleMember, role: null },
  },
  "subscription.updated": {
    description: "The team's subscription changed: started, renewed, paid after a failure, seats, canceled.",
    data: subscriptionData,
    sample: {
      team_id: sampleRecipe.team_id,
      plan: "pro" as const,
      subscription: {
        id: "sub_1QxYz2AbCdEf",
        status: "active",
        quantity: 3,
        current_period_end: "2027-01-01T00:00:00.000Z",
        cancel_at_period_end: false,
      },
    },
  },
} as const;

export type WebhookEventType = keyof typeof webhookEventCatalog;
export const webhookEventTypes = Object.keys(webhookEventCatalog) as [WebhookEventType, ...WebhookEventType[]];

/** The test event: not in the catalog (nobody subscribes to it), always delivered to the endpoint it tests. */
export const TEST_EVENT_TYPE = "webhook.test";
export type WebhookMessageType = WebhookEventType | typeof TEST_EVENT_TYPE;

export type WebhookEventData = {
  [T in WebhookEventType]: z.input<(typeof webhookEventCatalog)[T]["data"]>;
};

/** The body of every webhook: the event's type, when it happened, and its data. */
export type WebhookPayload<T extends string = string, D = unknown> = { type: T; timestamp: string; data: D };

export function webhookPayload<T extends string, D>(type: T, data: D, at = new Date()): WebhookPayload<T, D> {
  return { type, timestamp: at.toISOString(), data };
}

/** The zod schema of one event type's whole body, for the OpenAPI document's `webhooks`. */
export function webhookPayloadSchema(type: WebhookEventType) {
  return z
    .object({ type: z.literal(type), timestamp: isoDate, data: webhookEventCatalog[type].data })
    .meta({ description: webhookEventCatalog[type].description });
}

/** A sample body of each type, as docs/webhooks-out.md shows them. */
export function sampleWebhookPayload(type: WebhookEventType) {
  return webhookPayload(type, webhookEventCatalog[type].sample, new Date("2026-12-01T09:30:00.000Z"));
}
