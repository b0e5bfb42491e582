import { z } from "zod";
import { auditActions } from "@/lib/audit/catalog";
import { auditActorTypes } from "@/lib/db/schema";

// The public API's audit log: the query and answer schemas the route validates with and the OpenAPI
// document is generated from. The same filters as the team's Audit log page (lib/audit/query.ts).

const areas = [...new Set(auditActions.map((action) => action.split(".")[0]!))];

export const auditQuery = z.object({
  actor: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "An actor's id (a user's, an API key's, a Stripe event's), or words of its label." }),
  action: z
    .enum([...auditActions, ...areas] as [string, ...string[]])
    .optional()
    .meta({ description: "One action (`recipe.created`), or an area (`recipe`) for all of its actions." }),
  since: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: "Events at or after this moment (ISO 8601)." }),
  until: z.iso.datetime({ offset: true }).optional().meta({ description: "Events before this moment (ISO 8601)." }),
  limit: z.coerce
    .number({ error: "A number from 1 to 1000." })
    .int({ error: "A number from 1 to 1000." })
    .min(1, { error: "A number from 1 to 1000." })
    .max(1000, { error: "A number from 1 to 1000." })
    .default(50)
    .meta({ description: "How many to return, 1 to 1000 (default 50)." }),
  cursor: z.string().max(200).optional().meta({ description: "The `next_cursor` of the previous page." }),
});

export const auditEventJsonSchema = z
  .object({
    id: z.string().meta({ description: "Ordered: a later event has a larger id." }),
    occurred_at: z.iso.datetime(),
    action: z.enum(auditActions),
    actor: z.object({
      type: z.enum(auditActorTypes),
      id: z.string().nullable(),
      label: z.string().meta({
        description:
          "A person's name and address, a key's name, `stripe`, `system`; a pseudonym once a person's account is deleted.",
      }),
    }),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    request_id: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    prev_hash: z.string().nullable().meta({ description: "The hash of the team's previous event (SHA-256, hex)." }),
    hash: z.string().meta({ description: "This event's hash, over its fields and `prev_hash`." }),
  })
  .meta({
    id: "AuditEvent",
    example: {
      id: "1042",
      occurred_at: "2026-12-07T09:30:00.000Z",
      action: "recipe.created",
      actor: { type: "api_key", id: "key_8Jd2", label: "Kitchen sync" },
      target: { type: "recipe", id: "0f3c9c1e-8a4b-4f3e-9a57-3f1c2b7d9e10" },
      ip: "203.0.113.7",
      user_agent: "kitchen-sync/2.1",
      request_id: "8b1f0c5e2d7a4c39",
      metadata: { title: "Weeknight dal" },
      prev_hash: "9f2c…",
      hash: "41ab…",
    },
  });

export const auditEventList = z
  .object({
    data: z.array(auditEventJsonSchema),
    next_cursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page; null at the end." }),
  })
  .meta({ id: "AuditEventList" });
