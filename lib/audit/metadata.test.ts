import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { recordAudit } from "./record";
import { REDACTED, sanitizeMetadata } from "./metadata";

// Values that must never reach the audit log, like the log's own canaries (lib/core/logger.test.ts).
const canary = {
  password: `canary-password-${randomUUID()}`,
  token: `canary-token-${randomUUID()}`,
  body: `canary-body-${randomUUID()}`,
  stripeKey: `sk_live_${randomUUID().replaceAll("-", "")}`,
  webhookSecret: `whsec_${randomUUID().replaceAll("-", "")}`,
  apiKey: `rb_${randomUUID().replaceAll("-", "")}${randomUUID().replaceAll("-", "")}`,
  bearer: `Bearer ${randomUUID()}`,
  jwt: `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.${randomUUID().replaceAll("-", "")}`,
  longText: `A message body. ${"canary words ".repeat(30)}${randomUUID()}`,
};

describe("audit metadata never holds a secret, a token or a body", () => {
  it("drops keys named like one, whatever they hold, at any depth", () => {
    const { metadata, dropped } = sanitizeMetadata({
      role: "admin",
      password: canary.password,
      newPassword: canary.password,
      sessionToken: canary.token,
      apiKey: "short",
      signingSecret: "short",
      body: canary.body,
      nested: { requestBody: canary.body, authorization: canary.bearer, keyId: "key_1", keep: 3 },
    });
    expect(metadata).toEqual({ role: "admin", nested: { keyId: "key_1", keep: 3 } });
    expect(dropped.sort()).toEqual(
      [
        "apiKey",
        "body",
        "nested.authorization",
        "nested.requestBody",
        "newPassword",
        "password",
        "sessionToken",
        "signingSecret",
      ].sort(),
    );
  });

  it("replaces values that look like a credential or a body, whatever the key", () => {
    const values = [canary.stripeKey, canary.webhookSecret, canary.apiKey, canary.bearer, canary.jwt, canary.longText];
    const { metadata } = sanitizeMetadata({
      note: values,
      title: "Lentil soup",
      email: `cook-${randomUUID()}@example.test`,
    });
    expect(metadata.note).toEqual(values.map(() => REDACTED));
    expect(metadata.title).toBe("Lentil soup");
    // An address with a UUID in it is not a token.
    expect(metadata.email).toMatch(/^cook-.*@example\.test$/);
  });

  it("stores none of the canaries when a caller passes them all", async () => {
    const teamId = `team-${randomUUID()}`;
    await recordAudit(db, {
      teamId,
      actor: { type: "system", id: null, label: "system" },
      action: "webhook_endpoint.created",
      metadata: { ...canary, list: Object.values(canary), deep: { deeper: { deepest: { value: canary.token } } } },
    });
    const [row] = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.organizationId, teamId));
    const stored = JSON.stringify(row);
    for (const value of Object.values(canary)) expect(stored).not.toContain(value);
  });
});
