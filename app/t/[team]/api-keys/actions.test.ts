import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { addMember } from "@/lib/teams";
import { apiClient } from "@/tests/support/api-client";
import { form } from "@/tests/support/form";
import { revalidatedPaths } from "@/tests/support/next/cache";
import { signUpTestUser } from "@/tests/support/users";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

// The team's API keys page: owners and admins make a key (shown once), list and revoke them.

type Cook = Awaited<ReturnType<typeof signUpTestUser>>;
let owner: Cook;

beforeAll(async () => {
  owner = await signUpTestUser("Key Owner");
}, 180_000);

const keyForm = (teamId: string, fields: Record<string, string> = {}) =>
  form({ teamId, name: "Zapier", expires: "90", "scope:recipes:read": "on", ...fields });

describe("createApiKeyAction", () => {
  it("makes a key shown once, stores only its hash, and the key works at once within its scopes", async () => {
    owner.actAs();
    const state = await createApiKeyAction({}, keyForm(owner.teamId));
    expect(state).toMatchObject({ ok: true, reveal: { label: "Your new API key" } });
    const key = state.reveal!.value;
    expect(key).toMatch(/^rb_[A-Za-z]{64}$/);
    expect(revalidatedPaths).toContain(`/t/${owner.teamSlug}/api-keys`);

    const [row] = await db.select().from(schema.apikey).where(eq(schema.apikey.referenceId, owner.teamId));
    expect(row).toMatchObject({ name: "Zapier", start: key.slice(0, 9), createdBy: owner.id });
    expect(row!.key).not.toContain(key.slice(3));
    expect(row!.expiresAt!.getTime() - Date.now()).toBeGreaterThan(89 * 24 * 3600_000);

    expect((await apiClient(key).GET("/recipes")).response.status).toBe(200);
    expect((await apiClient(key).POST("/recipes", { body: { title: "Not allowed" } })).response.status).toBe(403);
  });

  it("asks for a name and at least one scope", async () => {
    owner.actAs();
    const state = await createApiKeyAction({}, form({ teamId: owner.teamId, name: "", expires: "30" }));
    expect(state.fieldErrors).toMatchObject({ name: [expect.any(String)] });
    const noScopes = await createApiKeyAction({}, form({ teamId: owner.teamId, name: "Nothing", expires: "never" }));
    expect(noScopes.fieldErrors).toMatchObject({ scopes: ["Choose at least one scope."] });
    expect(noScopes.reveal).toBeUndefined();
  });

  it("refuses a plain member (forbidden) and someone outside the team (not found), storing nothing", async () => {
    const team = (await db.select().from(schema.organization).where(eq(schema.organization.id, owner.teamId)))[0]!;
    const member = await signUpTestUser("Plain Member");
    await addMember(db, team.id, member.id, "member");
    member.actAs();
    const before = await db.$count(schema.apikey, eq(schema.apikey.referenceId, team.id));
    const refused = await createApiKeyAction({}, keyForm(team.id));
    expect(refused.error).toMatch(/owners and admins/);
    const outsider = await signUpTestUser("Outsider");
    outsider.actAs();
    const notFound = await createApiKeyAction({}, keyForm(team.id));
    expect(notFound.error).toMatch(/not a member|No such team/);
    expect(await db.$count(schema.apikey, eq(schema.apikey.referenceId, team.id))).toBe(before);
  });
});

describe("revokeApiKeyAction", () => {
  it("revokes the key: its next request is refused", async () => {
    owner.actAs();
    const key = (await createApiKeyAction({}, keyForm(owner.teamId, { name: "Short-lived" }))).reveal!.value;
    const [row] = await db.select().from(schema.apikey).where(eq(schema.apikey.name, "Short-lived"));
    const state = await revokeApiKeyAction({}, form({ teamId: owner.teamId, keyId: row!.id }));
    expect(state).toMatchObject({ ok: true, message: expect.stringMatching(/revoked/) });
    expect((await apiClient(key).GET("/recipes")).response.status).toBe(401);
  });

  it("cannot revoke another team's key", async () => {
    const other = await signUpTestUser("Other Owner");
    const theirs = (await createApiKeyAction({}, keyForm(other.teamId, { name: "Theirs" }))).reveal!.value;
    const [row] = await db.select().from(schema.apikey).where(eq(schema.apikey.name, "Theirs"));
    owner.actAs();
    const state = await revokeApiKeyAction({}, form({ teamId: owner.teamId, keyId: row!.id }));
    expect(state.error).toMatch(/No such API key/);
    const forged = await revokeApiKeyAction({}, form({ teamId: other.teamId, keyId: row!.id }));
    expect(forged.error).toBeDefined();
    expect((await apiClient(theirs).GET("/recipes")).response.status).toBe(200);
  });
});

describe("Better Auth's own API key endpoints", () => {
  it("answer 404 over HTTP: keys are made and revoked on the team page only", async () => {
    const { GET, POST } = await import("@/app/api/auth/[...all]/route");
    const { headers } = await import("@/tests/support/next/headers");
    owner.actAs();
    const cookie = (await headers()).get("cookie") ?? "";
    const origin = "http://localhost:3000";
    const create = await POST(
      new Request(`${origin}/api/auth/api-key/create`, {
        method: "POST",
        headers: { "content-type": "application/json", origin, cookie },
        body: JSON.stringify({ name: "Sneaky", organizationId: owner.teamId }),
      }),
    );
    expect(create.status).toBe(404);
    const list = await GET(
      new Request(`${origin}/api/auth/api-key/list?organizationId=${owner.teamId}`, { headers: { cookie } }),
    );
    expect(list.status).toBe(404);
    expect(await db.$count(schema.apikey, eq(schema.apikey.name, "Sneaky"))).toBe(0);
  });
});
