import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { FREE_RECIPE_LIMIT } from "@/lib/billing/plans";
import { addMember, changeMemberRole } from "@/lib/teams";
import { createRecipeAction } from "@/app/t/[team]/actions";
import { apiClient, expectDocumented, inProcessFetch, makeApiKey } from "@/tests/support/api-client";
import { form } from "@/tests/support/form";
import { setEnv } from "@/tests/support/env";
import { signUpTestUser, signUpUnconfirmedTestUser } from "@/tests/support/users";

// The public API's recipes, end to end through the typed client generated from the OpenAPI
// document: every answer in this file is checked against that document (tests/support/api-client.ts).

const recipe = {
  title: "Weeknight dal",
  description: "Lentils.",
  ingredients: ["lentils", "cumin"],
  steps: ["Simmer."],
};

type Owner = Awaited<ReturnType<typeof signUpTestUser>>;
let owner: Owner;
let key: string;

beforeAll(async () => {
  owner = await signUpTestUser("API Owner");
  // A Pro team: these tests create many recipes (the Free limit has its own test, on its own team).
  await db.insert(schema.subscriptions).values({
    id: `sub_test${randomUUID()}`,
    organizationId: owner.teamId,
    customerId: `cus_test${randomUUID()}`,
    status: "active",
    lastEventAt: new Date(),
  });
  key = (await makeApiKey({ teamId: owner.teamId, userId: owner.id })).key;
});

const api = () => apiClient(key);

/** A raw request, for what the typed client would not send (bad bodies, odd headers); still checked against the document. */
async function raw(path: string, init: RequestInit & { schemaPath: string }) {
  const response = await inProcessFetch(`http://localhost:3000/api/v1${path}`, init);
  await expectDocumented(init.schemaPath, init.method ?? "GET", response);
  return response;
}

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as { type: string; status: number; reason: string; errors?: unknown[] } & Record<
    string,
    unknown
  >;
}

describe("keys", () => {
  it("answers 401 with WWW-Authenticate without a key, with a malformed one and with an unknown one", async () => {
    const none = await apiClient().GET("/recipes");
    expect(none.response.status).toBe(401);
    expect(none.response.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    expect(none.error).toMatchObject({
      reason: "missing-api-key",
      type: expect.stringMatching(/\/docs\/api\/problems#unauthenticated$/),
    });

    for (const bad of ["not-a-key", `rb_${"a".repeat(64)}`]) {
      const { response, error } = await apiClient(bad).GET("/recipes");
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect(error).toMatchObject({ reason: "invalid-api-key" });
    }
  });

  it("refuses a revoked key on its next request", async () => {
    const { revokeApiKey } = await import("@/lib/api");
    const made = await makeApiKey({ teamId: owner.teamId, userId: owner.id });
    expect((await apiClient(made.key).GET("/recipes")).response.status).toBe(200);
    await revokeApiKey(db, { teamId: owner.teamId, userId: owner.id }, made.id);
    const { response, error } = await apiClient(made.key).GET("/recipes");
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ reason: "invalid-api-key" });
  });

  it("refuses an expired key", async () => {
    const made = await makeApiKey({ teamId: owner.teamId, userId: owner.id }, { expiresInDays: 1 });
    expect((await apiClient(made.key).GET("/recipes")).response.status).toBe(200);
    await db
      .update(schema.apikey)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.apikey.id, made.id));
    const { response, error } = await apiClient(made.key).GET("/recipes");
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ reason: "expired-api-key" });
  });

  it("stops a key when its maker is no longer an owner or admin of the team", async () => {
    const admin = await signUpTestUser("Keyed Admin");
    const [membership] = await db
      .insert(schema.member)
      .values({ id: randomUUID(), organizationId: owner.teamId, userId: admin.id, role: "admin" })
      .returning();
    const made = await makeApiKey({ teamId: owner.teamId, userId: admin.id });
    expect((await apiClient(made.key).GET("/recipes")).response.status).toBe(200);
    await changeMemberRole(db, { teamId: owner.teamId, actorId: owner.id, memberId: membership!.id, role: "member" });
    const { response, error } = await apiClient(made.key).GET("/recipes");
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ reason: "api-key-owner-left" });
  });

  it("answers 403 naming the scope a key lacks", async () => {
    const readOnly = await makeApiKey({ teamId: owner.teamId, userId: owner.id }, { scopes: ["recipes:read"] });
    expect((await apiClient(readOnly.key).GET("/recipes")).response.status).toBe(200);
    const { response, error } = await apiClient(readOnly.key).POST("/recipes", { body: recipe });
    expect(response.status).toBe(403);
    expect(error).toMatchObject({ reason: "insufficient-scope", required_scope: "recipes:write" });
    const noScopes = await makeApiKey({ teamId: owner.teamId, userId: owner.id }, { scopes: ["audit:read"] });
    expect((await apiClient(noScopes.key).GET("/recipes")).response.status).toBe(403);
  });

  it("lets only owners and admins make keys", async () => {
    const cook = await signUpTestUser("Plain Member");
    await addMember(db, owner.teamId, cook.id, "member");
    await expect(makeApiKey({ teamId: owner.teamId, userId: cook.id })).rejects.toMatchObject({ kind: "forbidden" });
    const stranger = await signUpTestUser("Stranger");
    await expect(makeApiKey({ teamId: owner.teamId, userId: stranger.id })).rejects.toMatchObject({
      kind: "not-found",
    });
  });
});

describe("recipes", () => {
  it("creates (201, Location, ETag), reads (ETag, 304) and lists the team's recipes", async () => {
    const created = await api().POST("/recipes", { body: recipe });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    expect(created.response.headers.get("location")).toBe(`/api/v1/recipes/${id}`);
    expect(created.response.headers.get("etag")).toBe('"v1"');
    expect(created.data).toMatchObject({ ...recipe, published: false, version: 1, created_by: owner.id });
    const [stored] = await db.select().from(schema.recipes).where(eq(schema.recipes.id, id));
    expect(stored).toMatchObject({ organizationId: owner.teamId, createdBy: owner.id, title: recipe.title });

    const read = await api().GET("/recipes/{id}", { params: { path: { id } } });
    expect(read.data).toEqual(created.data);
    expect(read.response.headers.get("etag")).toBe('"v1"');
    const unchanged = await api().GET("/recipes/{id}", {
      params: { path: { id }, header: { "If-None-Match": '"v1"' } },
    });
    expect(unchanged.response.status).toBe(304);

    const list = await api().GET("/recipes", { params: { query: { limit: 100 } } });
    expect(list.data!.data.map((r) => r.id)).toContain(id);
  });

  it("answers 404 for another team's recipe and for an unknown id, 400 for a malformed one", async () => {
    const other = await signUpTestUser("Other Team");
    const [theirs] = await db
      .insert(schema.recipes)
      .values({ title: "Theirs", organizationId: other.teamId, createdBy: other.id })
      .returning();
    for (const id of [theirs!.id, randomUUID()]) {
      expect((await api().GET("/recipes/{id}", { params: { path: { id } } })).response.status).toBe(404);
      const patch = await api().PATCH("/recipes/{id}", { params: { path: { id } }, body: { title: "Mine now" } });
      expect(patch.response.status).toBe(404);
      expect((await api().DELETE("/recipes/{id}", { params: { path: { id } } })).response.status).toBe(404);
    }
    const [still] = await db.select().from(schema.recipes).where(eq(schema.recipes.id, theirs!.id));
    expect(still!.title).toBe("Theirs");
    const malformed = await api().GET("/recipes/{id}", { params: { path: { id: "nope" } } });
    expect(malformed.response.status).toBe(400);
    expect(malformed.error).toMatchObject({ errors: [{ parameter: "id", detail: "Not a recipe id." }] });
  });

  it("refuses invalid input with a pointer per field, unknown fields included, and never stores it", async () => {
    const before = await countTeamRecipes();
    const { response, error } = await api().POST("/recipes", {
      body: { ...recipe, title: "x", colour: "red" } as typeof recipe,
    });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({
      reason: "invalid-request",
      errors: expect.arrayContaining([
        { pointer: "#/title", detail: "Give the recipe a title (at least 2 characters)." },
        { pointer: "#/colour", detail: "Unknown field." },
      ]),
    });
    const items = await api().POST("/recipes", { body: { ...recipe, ingredients: ["ok", "  "] } });
    expect(items.error).toMatchObject({
      errors: [{ pointer: "#/ingredients/1", detail: "An ingredient cannot be empty." }],
    });
    const empty = await api().PATCH("/recipes/{id}", { params: { path: { id: randomUUID() } }, body: {} });
    expect(empty.response.status).toBe(400);
    expect(await countTeamRecipes()).toBe(before);
  });

  it("answers 415 unless JSON, 400 for malformed JSON and 413 past 64 KiB", async () => {
    const post = (body: BodyInit, type: string) =>
      raw("/recipes", {
        schemaPath: "/recipes",
        method: "POST",
        body,
        headers: { Authorization: `Bearer ${key}`, "Content-Type": type },
      });
    expect((await problemOf(await post("title=x", "application/x-www-form-urlencoded"))).status).toBe(415);
    expect(await problemOf(await post("{", "application/json"))).toMatchObject({
      status: 400,
      errors: [{ pointer: "#" }],
    });
    const huge = JSON.stringify({ ...recipe, description: "x".repeat(70 * 1024) });
    expect(await problemOf(await post(huge, "application/json"))).toMatchObject({
      status: 413,
      reason: "body-too-large",
    });
  });

  it("changes a recipe with If-Match, and refuses a stale ETag with 412 leaving it unchanged", async () => {
    const { data } = await api().POST("/recipes", { body: recipe });
    const id = data!.id;
    const path = { id };
    const changed = await api().PATCH("/recipes/{id}", {
      params: { path, header: { "If-Match": '"v1"' } },
      body: { title: "Weekend dal" },
    });
    expect(changed.response.status).toBe(200);
    expect(changed.data).toMatchObject({ title: "Weekend dal", description: recipe.description, version: 2 });
    expect(changed.response.headers.get("etag")).toBe('"v2"');

    const stale = await api().PATCH("/recipes/{id}", {
      params: { path, header: { "If-Match": '"v1"' } },
      body: { title: "Lost update" },
    });
    expect(stale.response.status).toBe(412);
    expect(stale.error).toMatchObject({ reason: "recipe-changed", current_version: 2 });
    const staleDelete = await api().DELETE("/recipes/{id}", { params: { path, header: { "If-Match": '"v1"' } } });
    expect(staleDelete.response.status).toBe(412);
    const [stored] = await db.select().from(schema.recipes).where(eq(schema.recipes.id, id));
    expect(stored).toMatchObject({ title: "Weekend dal", version: 2 });

    const deleted = await api().DELETE("/recipes/{id}", { params: { path, header: { "If-Match": '"v2"' } } });
    expect(deleted.response.status).toBe(204);
    expect((await api().GET("/recipes/{id}", { params: { path } })).response.status).toBe(404);
  });

  it("publishes with PATCH under the forms' rules: the key's maker needs a confirmed address", async () => {
    const { data } = await api().POST("/recipes", { body: recipe });
    const published = await api().PATCH("/recipes/{id}", {
      params: { path: { id: data!.id } },
      body: { published: true },
    });
    expect(published.data).toMatchObject({ published: true, published_at: expect.any(String) });

    const unconfirmed = await signUpUnconfirmedTestUser("Unconfirmed Keyholder");
    const theirKey = (await makeApiKey({ teamId: unconfirmed.teamId, userId: unconfirmed.id })).key;
    const draft = await apiClient(theirKey).POST("/recipes", { body: recipe });
    expect(draft.response.status).toBe(201);
    const refused = await apiClient(theirKey).PATCH("/recipes/{id}", {
      params: { path: { id: draft.data!.id } },
      body: { published: true },
    });
    expect(refused.response.status).toBe(403);
    expect(refused.error).toMatchObject({ reason: "email-not-verified" });
  });

  it("refuses past the plan's recipe limit exactly where the team page does", async () => {
    const cook = await signUpTestUser("Limited Cook");
    const theirKey = (await makeApiKey({ teamId: cook.teamId, userId: cook.id })).key;
    for (let n = 0; n < FREE_RECIPE_LIMIT - 1; n++) {
      expect((await apiClient(theirKey).POST("/recipes", { body: recipe })).response.status).toBe(201);
    }
    cook.actAs();
    // The form's success is a redirect to the team page.
    await expect(createRecipeAction({}, form({ teamId: cook.teamId, title: "By the form" }))).rejects.toThrow();
    const refused = await apiClient(theirKey).POST("/recipes", { body: recipe });
    expect(refused.response.status).toBe(403);
    expect(refused.error).toMatchObject({ reason: "recipe-limit-reached", limit: FREE_RECIPE_LIMIT });
    expect(refused.error!.type).toMatch(/#plan-limit-reached$/);
    const formRefused = await createRecipeAction({}, form({ teamId: cook.teamId, title: "One more" }));
    expect(formRefused.error).toMatch(/holds 3 recipes/);
    expect(await db.$count(schema.recipes, eq(schema.recipes.organizationId, cook.teamId))).toBe(FREE_RECIPE_LIMIT);
  });
});

describe("pagination", () => {
  it("returns every recipe exactly once while recipes are added between pages", async () => {
    const cook = await signUpTestUser("Paging Cook");
    const theirKey = (await makeApiKey({ teamId: cook.teamId, userId: cook.id })).key;
    const rows = Array.from({ length: 23 }, (_, n) => ({
      title: `Recipe ${n}`,
      organizationId: cook.teamId,
      createdBy: cook.id,
      // Several share a creation time to the microsecond: the id breaks the tie.
      createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, Math.floor(n / 3))),
    }));
    const existing = (await db.insert(schema.recipes).values(rows).returning({ id: schema.recipes.id })).map(
      (r) => r.id,
    );

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const { data, response } = await apiClient(theirKey).GET("/recipes", { params: { query: { limit: 5, cursor } } });
      expect(response.status).toBe(200);
      seen.push(...data!.data.map((r) => r.id));
      // Another client adds a recipe between our pages: newer than any we are paging through.
      await db
        .insert(schema.recipes)
        .values({ title: `Added ${page}`, organizationId: cook.teamId, createdBy: cook.id });
      if (!data!.next_cursor) break;
      cursor = data!.next_cursor;
    }
    expect(seen).toHaveLength(new Set(seen).size);
    expect(seen.filter((id) => existing.includes(id)).sort()).toEqual([...existing].sort());
  });

  it("refuses a cursor it did not make and a limit out of range", async () => {
    const bad = await api().GET("/recipes", { params: { query: { cursor: "bm9wZQ" } } });
    expect(bad.error).toMatchObject({ status: 400, errors: [{ parameter: "cursor" }] });
    const big = await api().GET("/recipes", { params: { query: { limit: 500 } } });
    expect(big.error).toMatchObject({ status: 400, errors: [{ parameter: "limit" }] });
  });
});

describe("idempotency", () => {
  it("creates one recipe for 20 racing POSTs with one key, and gives them all the same answer", async () => {
    const before = await countTeamRecipes();
    const idempotencyKey = randomUUID();
    const body = { ...recipe, title: `Raced ${idempotencyKey.slice(0, 8)}` };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        api().POST("/recipes", { params: { header: { "Idempotency-Key": idempotencyKey } }, body }),
      ),
    );
    expect(await countTeamRecipes()).toBe(before + 1);
    expect(new Set(answers.map((a) => a.response.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => a.data!.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.response.headers.get("location"))).size).toBe(1);
    expect(answers.filter((a) => a.response.headers.get("idempotent-replayed") === "true")).toHaveLength(19);
  });

  it("refuses the same key with another body (422), and frees a key whose request failed", async () => {
    const idempotencyKey = randomUUID();
    const header = { "Idempotency-Key": idempotencyKey };
    const first = await api().POST("/recipes", { params: { header }, body: recipe });
    expect(first.response.status).toBe(201);
    const other = await api().POST("/recipes", { params: { header }, body: { ...recipe, title: "Another" } });
    expect(other.response.status).toBe(422);
    expect(other.error).toMatchObject({ reason: "idempotency-key-reused" });

    const retryKey = { "Idempotency-Key": randomUUID() };
    const failed = await api().PATCH("/recipes/{id}", {
      params: { path: { id: first.data!.id }, header: { ...retryKey, "If-Match": '"v9"' } },
      body: { title: "Retried" },
    });
    expect(failed.response.status).toBe(412);
    const retried = await api().PATCH("/recipes/{id}", {
      params: { path: { id: first.data!.id }, header: { ...retryKey, "If-Match": '"v1"' } },
      body: { title: "Retried" },
    });
    expect(retried.response.status).toBe(200);
    expect(retried.response.headers.get("idempotent-replayed")).toBeNull();
  });

  it("replays a DELETE's 204", async () => {
    const { data } = await api().POST("/recipes", { body: recipe });
    const header = { "Idempotency-Key": randomUUID() };
    const first = await api().DELETE("/recipes/{id}", { params: { path: { id: data!.id }, header } });
    const again = await api().DELETE("/recipes/{id}", { params: { path: { id: data!.id }, header } });
    expect([first.response.status, again.response.status]).toEqual([204, 204]);
    expect(again.response.headers.get("idempotent-replayed")).toBe("true");
  });

  it.runIf(process.env.DATABASE_URL)("answers 409 while the first request with the key is still running", async () => {
    const postgres = (await import("postgres")).default;
    const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    const idempotencyKey = randomUUID();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedNow = new Promise<void>((resolve) => (inserted = resolve));
    // Another server is in the middle of this key's first request: its row is inserted, not committed.
    const firstRequest = other.begin(async (sql) => {
      await sql`insert into idempotency_keys (organization_id, key, method, path, request_hash)
                values (${owner.teamId}, ${idempotencyKey}, 'POST', '/api/v1/recipes', 'first')`;
      inserted();
      await held;
      throw new Error("roll back");
    });
    await insertedNow;
    try {
      const repeat = await api().POST("/recipes", {
        params: { header: { "Idempotency-Key": idempotencyKey } },
        body: recipe,
      });
      expect(repeat.response.status).toBe(409);
      expect(repeat.response.headers.get("retry-after")).toBe("1");
      expect(repeat.error).toMatchObject({ reason: "idempotency-key-in-flight" });
    } finally {
      release();
      await firstRequest.catch(() => {});
      await other.end();
    }
  });
});

describe("rate limits", () => {
  it("reports both limits on every answer and answers 429 with Retry-After past the key's", async () => {
    setEnv({ API_RATE_LIMIT_PER_KEY: "3", API_RATE_LIMIT_PER_TEAM: "100" });
    const made = await makeApiKey({ teamId: owner.teamId, userId: owner.id });
    const first = await apiClient(made.key).GET("/recipes");
    expect(first.response.headers.get("ratelimit-policy")).toBe('"key";q=3;w=60, "team";q=100;w=60');
    expect(first.response.headers.get("ratelimit")).toMatch(/^"key";r=2;t=\d+$/);
    await apiClient(made.key).GET("/recipes");
    await apiClient(made.key).GET("/recipes");
    const refused = await apiClient(made.key).GET("/recipes");
    expect(refused.response.status).toBe(429);
    expect(Number(refused.response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.response.headers.get("ratelimit")).toMatch(/^"key";r=0;t=\d+$/);
    // Another key of the same team has its own allowance.
    const second = await makeApiKey({ teamId: owner.teamId, userId: owner.id });
    expect((await apiClient(second.key).GET("/recipes")).response.status).toBe(200);
  });

  it("holds a ceiling for all of a team's keys together", async () => {
    setEnv({ API_RATE_LIMIT_PER_KEY: "100", API_RATE_LIMIT_PER_TEAM: "2" });
    const cook = await signUpTestUser("Many Keys");
    const keys = await Promise.all([1, 2, 3].map(() => makeApiKey({ teamId: cook.teamId, userId: cook.id })));
    const statuses = [];
    for (const made of keys) statuses.push((await apiClient(made.key).GET("/recipes")).response.status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe("the OpenAPI document", () => {
  it("is served publicly, as OpenAPI 3.1 with the bearer scheme and the problem schema", async () => {
    const response = await inProcessFetch("http://localhost:3000/api/v1/openapi.json");
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe("3.1.0");
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.components.schemas.Problem).toBeDefined();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/recipes", "/recipes/{id}"]));
  });
});

async function countTeamRecipes() {
  return db.$count(schema.recipes, and(eq(schema.recipes.organizationId, owner.teamId)));
}
