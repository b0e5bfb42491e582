import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auth } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { createRecipe } from "@/lib/recipes";
import { demoUser, seed } from "./seed";

vi.mock("next/headers", () => import("@/tests/support/next/headers"));
vi.mock("next/cache", () => import("@/tests/support/next/cache"));

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
    const recipes = await db.select().from(schema.recipes).where(eq(schema.recipes.userId, user.id));
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
    const recipe = await createRecipe(db, user.id, { title: "Dal", description: "", ingredients: [], steps: [] });
    expect(recipe.userId).toBe(user.id);
  });
});
