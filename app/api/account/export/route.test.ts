import { describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { headers } from "@/tests/support/next/headers";
import { signUpTestUser } from "@/tests/support/users";
import { GET } from "./route";

const exportRequest = (init: RequestInit = {}) => new Request("http://localhost:3000/api/account/export", init);

describe("GET /api/account/export", () => {
  it("is a JSON download of the signed-in user's data, and never cached", async () => {
    const cook = await signUpTestUser("Export Cook");
    await db.insert(schema.recipes).values({ organizationId: cook.teamId, createdBy: cook.id, title: "Export stew" });
    const other = await signUpTestUser("Someone Else");
    await db.insert(schema.recipes).values({ organizationId: other.teamId, createdBy: other.id, title: "Not yours" });
    cook.actAs();

    const response = await GET(exportRequest({ headers: { cookie: (await headers()).get("cookie")! } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="recipe-box-data-\d{4}-\d\d-\d\d\.json"$/,
    );
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const body = await response.json();
    expect(body.profile).toMatchObject({ id: cook.id, email: cook.email });
    expect(body.recipes.map((recipe: { title: string }) => recipe.title)).toEqual(["Export stew"]);
    expect(body.memberships).toEqual([
      expect.objectContaining({ teamId: cook.teamId, slug: cook.teamSlug, personal: true, role: "owner" }),
    ]);
    expect(JSON.stringify(body)).not.toContain(other.email);
    expect(JSON.stringify(body)).not.toContain(other.teamId);
  });

  it("is 401 without a session, or with a forged one", async () => {
    expect((await GET(exportRequest())).status).toBe(401);
    const forged = await GET(exportRequest({ headers: { cookie: "better-auth.session_token=made-up.signature" } }));
    expect(forged.status).toBe(401);
  });
});
