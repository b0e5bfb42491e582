import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/api";
import { apiClient, expectDocumented, inProcessFetch, makeApiKey } from "@/tests/support/api-client";
import { setEnv } from "@/tests/support/env";
import { signUpTestUser } from "@/tests/support/users";
import { startReceiver, type Receiver } from "@/tests/support/webhook-receivers";
import { drainJobs } from "@/tests/support/webhooks-out";

// /api/v1/webhook-endpoints through the typed client generated from the OpenAPI document: every
// answer here is checked against it (tests/support/api-client.ts).

type Owner = Awaited<ReturnType<typeof signUpTestUser>>;
let owner: Owner;
let key: string;
let receiver: Receiver;
let secrets: string[] = [];

beforeAll(async () => {
  owner = await signUpTestUser("Hooks API Owner");
  key = (await makeApiKey({ teamId: owner.teamId, userId: owner.id })).key;
  receiver = await startReceiver({ secrets: () => secrets });
}, 180_000);
afterAll(() => receiver.close());

const api = () => apiClient(key);

describe("/api/v1/webhook-endpoints", () => {
  it("adds an endpoint (the secret in that answer only), lists, reads, changes, tests, rotates and deletes it", async () => {
    const created = await api().POST("/webhook-endpoints", {
      body: { url: receiver.url, description: "Orders", event_types: ["recipe.published"] },
    });
    expect(created.response.status).toBe(201);
    const endpoint = created.data!;
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(created.response.headers.get("location")).toBe(`/api/v1/webhook-endpoints/${endpoint.id}`);
    secrets = [endpoint.secret];

    const listed = await api().GET("/webhook-endpoints");
    expect(listed.data!.data).toEqual([
      expect.objectContaining({ id: endpoint.id, event_types: ["recipe.published"] }),
    ]);
    expect(JSON.stringify(listed.data)).not.toContain("whsec_");
    const read = await api().GET("/webhook-endpoints/{id}", { params: { path: { id: endpoint.id } } });
    expect(read.data).toMatchObject({ url: receiver.url, enabled: true, description: "Orders" });

    const changed = await api().PATCH("/webhook-endpoints/{id}", {
      params: { path: { id: endpoint.id } },
      body: { event_types: null, description: "Everything" },
    });
    expect(changed.data).toMatchObject({ event_types: null, description: "Everything" });

    const test = await api().POST("/webhook-endpoints/{id}/test", {
      params: { path: { id: endpoint.id } },
      body: { type: "member.added" },
    });
    expect(test.response.status).toBe(202);
    await drainJobs();
    expect(receiver.arrivals.map((a) => [a.id, a.type, a.verified])).toEqual([
      [test.data!.message_id, "member.added", true],
    ]);

    const rotated = await api().POST("/webhook-endpoints/{id}/rotate-secret", {
      params: { path: { id: endpoint.id } },
    });
    expect(rotated.data!.secret).toMatch(/^whsec_/);
    expect(rotated.data!.previous_secret_expires_at).not.toBeNull();
    // A receiver holding only the new secret accepts the next delivery.
    secrets = [rotated.data!.secret];
    await api().POST("/webhook-endpoints/{id}/test", { params: { path: { id: endpoint.id } } });
    await drainJobs();
    expect(receiver.arrivals.at(-1)).toMatchObject({ type: "webhook.test", verified: true });

    const off = await api().PATCH("/webhook-endpoints/{id}", {
      params: { path: { id: endpoint.id } },
      body: { enabled: false },
    });
    expect(off.data).toMatchObject({ enabled: false, disabled_reason: "manual" });

    const deleted = await api().DELETE("/webhook-endpoints/{id}", { params: { path: { id: endpoint.id } } });
    expect(deleted.response.status).toBe(204);
    const gone = await api().GET("/webhook-endpoints/{id}", { params: { path: { id: endpoint.id } } });
    expect(gone.response.status).toBe(404);
  });

  it("refuses bad input with a pointer to the field, another team's endpoint with 404, and a key without the scope with 403", async () => {
    const bad = await api().POST("/webhook-endpoints", { body: { url: "ftp://example.com/" } });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ errors: [{ pointer: "#/url" }] });
    const unknownField = await api().POST("/webhook-endpoints", {
      body: { url: "https://example.com/", secret: "mine" } as never,
    });
    expect(unknownField.response.status).toBe(400);

    const other = await signUpTestUser("Other Team");
    const theirKey = (await makeApiKey({ teamId: other.teamId, userId: other.id })).key;
    const theirs = await apiClient(theirKey).POST("/webhook-endpoints", {
      body: { url: "https://hooks.example.com/" },
    });
    expect(
      (await api().GET("/webhook-endpoints/{id}", { params: { path: { id: theirs.data!.id } } })).response.status,
    ).toBe(404);
    expect(
      (await api().DELETE("/webhook-endpoints/{id}", { params: { path: { id: theirs.data!.id } } })).response.status,
    ).toBe(404);

    const readOnly = (await makeApiKey({ teamId: owner.teamId, userId: owner.id }, { scopes: ["recipes:read"] })).key;
    const refused = await apiClient(readOnly).GET("/webhook-endpoints");
    expect(refused.response.status).toBe(403);
    expect(refused.error).toMatchObject({ reason: "insufficient-scope" });
  });

  it("in production, refuses a URL inside the network with 400 on `url`", async () => {
    setEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: "a-production-secret-for-this-test-only-0123456789" });
    const response = await inProcessFetch("http://localhost:3000/api/v1/webhook-endpoints", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ url: "http://169.254.169.254/latest/meta-data" }),
    });
    await expectDocumented("/webhook-endpoints", "POST", response);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ reason: "webhook-url-private" });
  });

  it("documents every event type in the OpenAPI document's webhooks", () => {
    const document = buildOpenApiDocument() as unknown as { webhooks: Record<string, unknown> };
    expect(Object.keys(document.webhooks).sort()).toEqual(
      [
        "member.added",
        "member.removed",
        "recipe.created",
        "recipe.deleted",
        "recipe.published",
        "recipe.unpublished",
        "recipe.updated",
        "subscription.updated",
        "webhook.test",
      ].sort(),
    );
  });
});
