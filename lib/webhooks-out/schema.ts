import { z } from "zod";
import { webhookEventTypes } from "./catalog";

/**
 * What a team's admins send to manage webhook endpoints, from the team's pages and through the
 * public API (`/api/v1/webhook-endpoints`, whose OpenAPI document is generated from these). No
 * `server-only`: the forms validate with them too.
 */

export const WEBHOOK_URL_MAX_LENGTH = 2048;

/**
 * An endpoint's URL: http or https, no user name or password in it (they would be sent to every
 * hop and shown on pages). Where it points is checked again when each connection is made.
 */
export const webhookUrl = z
  .string()
  .trim()
  .min(1, { error: "Enter the URL that should receive the webhooks." })
  .max(WEBHOOK_URL_MAX_LENGTH, { error: `At most ${WEBHOOK_URL_MAX_LENGTH} characters.` })
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "Enter a full URL, such as https://example.com/webhooks." });
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
      ctx.addIssue({ code: "custom", message: "Only http:// and https:// URLs can receive webhooks." });
    else if (url.username || url.password)
      ctx.addIssue({ code: "custom", message: "Leave the user name and password out of the URL." });
    else if (url.hash) ctx.addIssue({ code: "custom", message: "Leave the #fragment out of the URL." });
  });

export const webhookEventType = z.enum(webhookEventTypes);

/** The types an endpoint wants: a list, or null for every type (new types included). */
export const webhookEventTypeFilter = z
  .array(webhookEventType)
  .min(1, { error: "Choose at least one event type, or all of them." })
  .nullable();

export const webhookEndpointCreate = z
  .strictObject({
    url: webhookUrl,
    description: z.string().trim().max(500, { error: "At most 500 characters." }).default(""),
    event_types: webhookEventTypeFilter
      .default(null)
      .meta({ description: "The event types it wants; null (the default) for every type, new ones included." }),
  })
  .meta({
    id: "WebhookEndpointCreate",
    description: "A new endpoint. Unknown fields are refused.",
    example: { url: "https://hooks.example.com/recipe-box", description: "Orders", event_types: ["recipe.published"] },
  });
export type WebhookEndpointCreate = z.output<typeof webhookEndpointCreate>;

export const webhookEndpointUpdate = z
  .strictObject({
    url: webhookUrl.optional(),
    description: z.string().trim().max(500, { error: "At most 500 characters." }).optional(),
    event_types: webhookEventTypeFilter.optional(),
    enabled: z.boolean().optional().meta({
      description: "false turns it off; true turns it back on and forgets the failures that turned it off.",
    }),
  })
  .refine((patch) => Object.keys(patch).length > 0, { error: "Send at least one field to change." })
  .meta({
    id: "WebhookEndpointUpdate",
    description: "The fields to change; the others stay.",
    example: { enabled: false },
  });
export type WebhookEndpointUpdate = z.output<typeof webhookEndpointUpdate>;

export const webhookTestRequest = z.object({ type: webhookEventType.optional() }).meta({
  id: "WebhookTestRequest",
  description: "Without a type, the test event `webhook.test`; with one, its sample.",
});
export type WebhookTestRequest = z.output<typeof webhookTestRequest>;

const isoDate = z.iso.datetime({ offset: true });

/** An endpoint as the API and the pages show it: never its secret. */
export const webhookEndpointView = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    event_types: z.array(z.string()).nullable(),
    enabled: z.boolean(),
    disabled_reason: z.enum(["manual", "gone", "failing"]).nullable(),
    /** When its current run of failures began; null while deliveries succeed. */
    failing_since: isoDate.nullable(),
    /** During a rotation: until when the previous secret still signs. */
    previous_secret_expires_at: isoDate.nullable(),
    created_at: isoDate,
    updated_at: isoDate,
  })
  .meta({ id: "WebhookEndpoint" });
export type WebhookEndpointView = z.output<typeof webhookEndpointView>;

/** The answer to a create or a rotation: the only time the secret is shown. */
export const webhookEndpointWithSecret = webhookEndpointView
  .extend({ secret: z.string().startsWith("whsec_") })
  .meta({ id: "WebhookEndpointWithSecret" });
export type WebhookEndpointWithSecret = z.output<typeof webhookEndpointWithSecret>;

export const webhookEndpointList = z.object({ data: z.array(webhookEndpointView) }).meta({ id: "WebhookEndpointList" });

export const webhookEndpointIdParams = z.object({
  id: z.uuid({ error: "Not a webhook endpoint id." }).meta({ description: "The endpoint's id." }),
});

export const webhookTestAnswer = z
  .object({ message_id: z.string().meta({ description: "The test message's id: its `webhook-id` header." }) })
  .meta({ id: "WebhookTestQueued" });

// ---------------------------------------------------------------------------
// The team page's forms (FormData: one field per input)
// ---------------------------------------------------------------------------

const checkbox = z
  .string()
  .optional()
  .transform((value) => value === "on");

const teamId = z.string().min(1);

const endpointFormFields = {
  teamId,
  url: webhookUrl,
  description: z.string().trim().max(500, { error: "At most 500 characters." }).default(""),
  allEvents: checkbox,
  ...Object.fromEntries(webhookEventTypes.map((type) => [`event:${type}`, checkbox])),
};

function toEndpoint(form: Record<string, unknown>, ctx: z.RefinementCtx) {
  const chosen = webhookEventTypes.filter((type) => form[`event:${type}`] === true);
  if (!form.allEvents && chosen.length === 0) {
    ctx.addIssue({ code: "custom", path: ["eventTypes"], message: "Choose at least one event type, or all of them." });
    return z.NEVER;
  }
  return {
    teamId: form.teamId as string,
    endpoint: {
      url: form.url as string,
      description: form.description as string,
      event_types: form.allEvents ? null : chosen,
    },
  };
}

/** The endpoint form: URL, description, "every event" or one checkbox per type (`event:<type>`). */
export const endpointForm = z.object(endpointFormFields).transform(toEndpoint);

/** The same form, editing an endpoint. */
export const endpointEditForm = z
  .object({ ...endpointFormFields, endpointId: z.uuid() })
  .transform((form, ctx) => ({ ...toEndpoint(form, ctx), endpointId: form.endpointId }));

export const endpointRef = z.object({ teamId, endpointId: z.uuid() });
export const endpointToggle = endpointRef.extend({ enabled: z.enum(["true", "false"]).transform((v) => v === "true") });
export const endpointTest = endpointRef.extend({ type: z.union([webhookEventType, z.literal("")]).optional() });
export const messageReplay = endpointRef.extend({ messageId: z.string().min(1).max(64) });
