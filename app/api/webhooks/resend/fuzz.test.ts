import fc from "fast-check";
import { and, eq, inArray } from "drizzle-orm";
import { Webhook } from "svix";
import { describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { anyBody, fuzzRuns, headerValue } from "@/tests/support/fuzz";
import { POST } from "./route";

const attackerSecret = `whsec_${Buffer.from("not-our-secret-at-all").toString("base64")}`;

/** Svix headers: missing, random, or a real signature made with the wrong secret. */
const svixHeaders = fc.record({
  id: fc.oneof(
    fc.uuid().map((id) => `msg_${id}`),
    headerValue,
  ),
  timestamp: fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }).map(String), headerValue),
  forge: fc.boolean(),
  signature: headerValue,
});

describe("POST /api/webhooks/resend under random input", () => {
  it("answers 400 to anything not signed with our secret, and stores nothing", async () => {
    const ids: string[] = [];
    await fc.assert(
      fc.asyncProperty(anyBody, svixHeaders, async (body, svix) => {
        const signature = svix.forge
          ? new Webhook(attackerSecret).sign(
              svix.id,
              new Date(),
              typeof body === "string" ? body : body.toString("utf8"),
            )
          : svix.signature;
        ids.push(svix.id);
        const response = await POST(
          new Request("http://localhost/api/webhooks/resend", {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "svix-id": svix.id,
              "svix-timestamp": svix.timestamp,
              "svix-signature": signature,
            },
            body,
          }),
        );
        expect(response.status).toBe(400);
      }),
      fuzzRuns,
    );
    const stored = await db
      .select({ id: schema.webhookEvents.id })
      .from(schema.webhookEvents)
      .where(and(eq(schema.webhookEvents.provider, "resend"), inArray(schema.webhookEvents.eventId, ids)));
    expect(stored).toEqual([]);
  });
});
