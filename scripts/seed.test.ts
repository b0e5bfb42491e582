import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auth } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { createRecipe } from "@/lib/recipes";
import { listMembers, listPendingInvitations, listTeamsOf, personalTeamOf } from "@/lib/teams";
import AdminPage from "@/app/admin/page";
import { parseEnv } from "@/lib/core/env";
import { setEnv } from "@/tests/support/env";
import { cookieJar } from "@/tests/support/next/headers";
import { demoTeam, demoTeammate, demoUser, seed } from "./seed";

// The first query (the embedded database starting) is slow on a busy machine: pay it here, not in a test.
beforeAll(async () => {
  await db.select().from(schema.user).limit(1);
});

describe("npm run db:seed", () => {
  it("adds a demo user who signs in with the README's password at once, and its published recipes", async () => {
    const user = await seed();
    const { token } = await auth.api.signInEmail({
      body: { email: demoUser.email, password: demoUser.password },
    });
    expect(token).toBeTruthy();
    const recipes = await db.select().from(schema.recipes).where(eq(schema.recipes.createdBy, user.id));
    expect(recipes.length).toBeGreaterThan(0);
    expect(recipes.every((recipe) => recipe.published)).toBe(true);
  });

  it("is safe to run twice, and confirms a demo user seeded before sign-in asked for it", async () => {
    const user = await seed();
    await db.update(schema.user).set({ emailVerified: false }).where(eq(schema.user.id, user.id));
    const again = await seed();
    expect(again.id).toBe(user.id);
    expect(await db.$count(schema.user, eq(schema.user.email, demoUser.email))).toBe(1);
    const [row] = await db.select().from(schema.user).where(eq(schema.user.id, user.id));
    expect(row?.emailVerified).toBe(true);
  });

  it("leaves the demo user room on Free for a new recipe (the README's next step)", async () => {
    const user = await seed();
    const team = (await personalTeamOf(db, user.id))!;
    const recipe = await createRecipe(
      db,
      { teamId: team.id, userId: user.id },
      { title: "Dal", description: "", ingredients: [], steps: [] },
    );
    expect(recipe).toMatchObject({ organizationId: team.id, createdBy: user.id });
  });

  it("gives the demo user a team with a second member and a pending invitation", async () => {
    const user = await seed();
    const kitchen = (await listTeamsOf(db, user.id)).find((team) => team.slug === demoTeam.slug);
    expect(kitchen).toMatchObject({ name: demoTeam.name, role: "owner", personal: false });
    const { members } = await listMembers(db, kitchen!.id);
    expect(members.map((entry) => [entry.email, entry.role])).toEqual([
      [demoUser.email, "owner"],
      [demoTeammate.email, "member"],
    ]);
    expect((await listPendingInvitations(db, kitchen!.id)).map((invitation) => invitation.email)).toEqual([
      demoTeam.invited,
    ]);
  });

  it("makes the demo user the operator of a development server without ADMIN_EMAILS (never a production one)", async () => {
    expect(parseEnv({ NODE_ENV: "development" }).adminEmails).toEqual([demoUser.email]);
    expect(parseEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: "x".repeat(40) }).adminEmails).toEqual([]);
    setEnv({ NODE_ENV: "development", ADMIN_EMAILS: "" });
    const user = await seed();
    const [row] = await db.select().from(schema.user).where(eq(schema.user.id, user.id));
    expect(row).toMatchObject({ emailVerified: true, role: "admin" });
    cookieJar.clear();
    await auth.api.signInEmail({ body: { email: demoUser.email, password: demoUser.password } });
    await expect(AdminPage({ searchParams: Promise.resolve({}) })).resolves.toBeTruthy();
  });
});
