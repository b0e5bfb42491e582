import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FREE_RECIPE_LIMIT } from "@/lib/billing/plans";
import { db, schema } from "@/lib/db";
import {
  PUBLISHED_LIST_PATH,
  RecipeLimitReachedError,
  createRecipe,
  listPublishedRecipesWithPhotos,
} from "@/lib/recipes";
import { revalidatedPaths } from "@/tests/support/next/cache";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { signOutTestUser, signUpTestUser } from "@/tests/support/users";
import {
  createRecipeAction,
  deleteRecipeAction,
  planWeekAction,
  setPublishedAction,
  updateRecipeAction,
} from "./actions";

vi.mock("next/headers", () => import("@/tests/support/next/headers"));
vi.mock("next/cache", () => import("@/tests/support/next/cache"));
vi.mock("next/navigation", () => import("@/tests/support/next/navigation"));
// Jobs (Plan my week) run in-process after the response: held until the test flushes them.
vi.mock("@/lib/jobs/after", () => import("@/tests/support/run-after-response"));

// The first sign-up migrates the embedded database and warms Better Auth: a hook's timeout, not a test's.
beforeAll(() => signUpTestUser(), 180_000);

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

const valid = {
  title: "Tomato soup",
  description: "Warm and red.",
  ingredients: "tomatoes\n\n onion \nsalt",
  steps: "Chop the onion.\n\n Simmer everything for 20 minutes. ",
};

async function recipeRow(id: string) {
  const [row] = await db.select().from(schema.recipes).where(eq(schema.recipes.id, id));
  return row;
}

async function recipesOf(userId: string) {
  return db.select().from(schema.recipes).where(eq(schema.recipes.userId, userId));
}

/** Another user's recipe, to forge ids against. */
async function someoneElsesRecipe(published = false) {
  const other = await signUpTestUser("Other Cook");
  const [recipe] = await db
    .insert(schema.recipes)
    .values({ userId: other.id, title: "Not yours", published, publishedAt: published ? new Date() : null })
    .returning();
  return recipe!;
}

describe("createRecipeAction", () => {
  it("stores the recipe for the signed-in user and redirects to the dashboard", async () => {
    const cook = await signUpTestUser();
    await expect(createRecipeAction({}, form(valid))).rejects.toEqual(new RedirectSignal("/dashboard"));
    const [row] = await recipesOf(cook.id);
    expect(row).toMatchObject({
      title: "Tomato soup",
      description: "Warm and red.",
      ingredients: ["tomatoes", "onion", "salt"],
      steps: ["Chop the onion.", "Simmer everything for 20 minutes."],
      published: false,
    });
  });

  it("returns field errors for invalid input and stores nothing", async () => {
    const cook = await signUpTestUser();
    const state = await createRecipeAction({}, form({ title: "x", ingredients: "a".repeat(201) }));
    expect(state.fieldErrors?.title?.[0]).toMatch(/at least 2/);
    expect(state.fieldErrors?.ingredients?.[0]).toMatch(/under 200/);
    expect(state.values?.title).toBe("x");
    expect(await recipesOf(cook.id)).toEqual([]);
  });

  it("refuses a caller without a session", async () => {
    signOutTestUser();
    const before = await db.$count(schema.recipes);
    const state = await createRecipeAction({}, form({ ...valid, title: "Anonymous soup" }));
    expect(state.error).toMatch(/signed in/);
    expect(await db.select().from(schema.recipes).where(eq(schema.recipes.title, "Anonymous soup"))).toEqual([]);
    expect(await db.$count(schema.recipes)).toBeGreaterThanOrEqual(before);
  });
});

describe("the Free plan's recipe limit", () => {
  async function createThroughAction(title: string) {
    await expect(createRecipeAction({}, form({ ...valid, title }))).rejects.toEqual(new RedirectSignal("/dashboard"));
  }

  async function subscribe(userId: string, status: string) {
    await db.insert(schema.subscriptions).values({
      id: `sub_test${randomUUID()}`,
      userId,
      customerId: `cus_test${randomUUID()}`,
      status,
      lastEventAt: new Date(),
    });
  }

  it(`refuses the recipe after ${FREE_RECIPE_LIMIT} on Free, stores nothing, and points to /pricing`, async () => {
    const cook = await signUpTestUser();
    for (let i = 1; i <= FREE_RECIPE_LIMIT; i++) await createThroughAction(`Soup ${i}`);

    const state = await createRecipeAction({}, form({ ...valid, title: "One soup too many" }));

    expect(state).toMatchObject({
      error: "The Free plan holds 3 recipes. Upgrade to Pro for unlimited recipes, or delete one first.",
      upgrade: true,
      values: {
        title: "One soup too many",
        description: "Warm and red.",
        ingredients: "tomatoes\nonion\nsalt",
        steps: "Chop the onion.\nSimmer everything for 20 minutes.",
      },
    });
    expect((await recipesOf(cook.id)).map((recipe) => recipe.title).sort()).toEqual(["Soup 1", "Soup 2", "Soup 3"]);
  });

  it("stores a fourth recipe for a Pro subscriber (active, trialing, or past due within Stripe's retries)", async () => {
    for (const status of ["active", "trialing", "past_due"]) {
      const cook = await signUpTestUser();
      await subscribe(cook.id, status);
      for (let i = 1; i <= FREE_RECIPE_LIMIT + 1; i++) await createThroughAction(`Stew ${i}`);
      expect(await recipesOf(cook.id)).toHaveLength(FREE_RECIPE_LIMIT + 1);
    }
  });

  it("applies the limit again once the subscription is canceled", async () => {
    const cook = await signUpTestUser();
    await subscribe(cook.id, "canceled");
    for (let i = 1; i <= FREE_RECIPE_LIMIT; i++) await createThroughAction(`Bread ${i}`);

    expect((await createRecipeAction({}, form(valid))).upgrade).toBe(true);
    expect(await recipesOf(cook.id)).toHaveLength(FREE_RECIPE_LIMIT);
  });

  it("holds when many creates race: exactly the limit is stored", async () => {
    const cook = await signUpTestUser();
    const input = { title: "Racing soup", description: "", ingredients: [], steps: [] };

    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => createRecipe(db, cook.id, input)));

    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(FREE_RECIPE_LIMIT);
    for (const outcome of outcomes.filter((o) => o.status === "rejected"))
      expect(outcome.reason).toBeInstanceOf(RecipeLimitReachedError);
    expect(await recipesOf(cook.id)).toHaveLength(FREE_RECIPE_LIMIT);
  });
});

describe("updateRecipeAction", () => {
  let recipeId: string;
  let actAsOwner: () => void;

  beforeEach(async () => {
    const cook = await signUpTestUser();
    actAsOwner = cook.actAs;
    const [recipe] = await db.insert(schema.recipes).values({ userId: cook.id, title: "Old title" }).returning();
    recipeId = recipe!.id;
  });

  it("saves the change and redirects", async () => {
    await expect(updateRecipeAction({}, form({ ...valid, id: recipeId }))).rejects.toBeInstanceOf(RedirectSignal);
    expect((await recipeRow(recipeId))?.title).toBe("Tomato soup");
  });

  it("returns field errors and leaves the row alone", async () => {
    const state = await updateRecipeAction({}, form({ id: recipeId, title: "" }));
    expect(state.fieldErrors?.title).toBeDefined();
    expect((await recipeRow(recipeId))?.title).toBe("Old title");
  });

  it("refuses a caller without a session", async () => {
    signOutTestUser();
    const state = await updateRecipeAction({}, form({ ...valid, id: recipeId }));
    expect(state.error).toMatch(/signed in/);
    expect((await recipeRow(recipeId))?.title).toBe("Old title");
  });

  it("refuses another user's recipe and changes nothing", async () => {
    const foreign = await someoneElsesRecipe();
    actAsOwner();
    const state = await updateRecipeAction({}, form({ ...valid, id: foreign.id }));
    expect(state.error).toMatch(/not yours/);
    expect(await recipeRow(foreign.id)).toEqual(foreign);
  });
});

describe("deleteRecipeAction", () => {
  it("deletes the user's recipe", async () => {
    const cook = await signUpTestUser();
    const [recipe] = await db.insert(schema.recipes).values({ userId: cook.id, title: "Gone soon" }).returning();
    const state = await deleteRecipeAction({}, form({ id: recipe!.id }));
    expect(state).toMatchObject({ ok: true, message: "Deleted “Gone soon”." });
    expect(await recipeRow(recipe!.id)).toBeUndefined();
  });

  it("returns a field error for an id that is not a uuid", async () => {
    await signUpTestUser();
    const state = await deleteRecipeAction({}, form({ id: "1 or 1=1" }));
    expect(state.fieldErrors?.id).toEqual(["Unknown recipe."]);
  });

  it("refuses a caller without a session", async () => {
    const foreign = await someoneElsesRecipe();
    signOutTestUser();
    expect((await deleteRecipeAction({}, form({ id: foreign.id }))).error).toMatch(/signed in/);
    expect(await recipeRow(foreign.id)).toEqual(foreign);
  });

  it("refuses another user's recipe and keeps it", async () => {
    const foreign = await someoneElsesRecipe();
    await signUpTestUser();
    expect((await deleteRecipeAction({}, form({ id: foreign.id }))).error).toMatch(/not yours/);
    expect(await recipeRow(foreign.id)).toEqual(foreign);
  });
});

describe("setPublishedAction", () => {
  it("publishes and unpublishes the user's recipe", async () => {
    const cook = await signUpTestUser();
    const [recipe] = await db.insert(schema.recipes).values({ userId: cook.id, title: "Bread" }).returning();
    expect(await setPublishedAction({}, form({ id: recipe!.id, published: "true" }))).toMatchObject({ ok: true });
    expect(await recipeRow(recipe!.id)).toMatchObject({ published: true, publishedAt: expect.any(Date) });
    expect(await setPublishedAction({}, form({ id: recipe!.id, published: "false" }))).toMatchObject({ ok: true });
    expect(await recipeRow(recipe!.id)).toMatchObject({ published: false, publishedAt: null });
  });

  it("returns a field error for a bad flag", async () => {
    const cook = await signUpTestUser();
    const [recipe] = await db.insert(schema.recipes).values({ userId: cook.id, title: "Bread" }).returning();
    const state = await setPublishedAction({}, form({ id: recipe!.id, published: "yes" }));
    expect(state.fieldErrors?.published).toBeDefined();
    expect((await recipeRow(recipe!.id))?.published).toBe(false);
  });

  it("refuses a caller without a session", async () => {
    const foreign = await someoneElsesRecipe();
    signOutTestUser();
    expect((await setPublishedAction({}, form({ id: foreign.id, published: "true" }))).error).toMatch(/signed in/);
    expect((await recipeRow(foreign.id))?.published).toBe(false);
  });

  it("refuses another user's recipe and changes nothing", async () => {
    const foreign = await someoneElsesRecipe();
    await signUpTestUser();
    expect((await setPublishedAction({}, form({ id: foreign.id, published: "true" }))).error).toMatch(/not yours/);
    expect(await recipeRow(foreign.id)).toEqual(foreign);
  });
});

describe("the published list on / (a static page)", () => {
  /** Whether the action expired `/` (Next re-renders it on the next request), and what that render would list. */
  async function afterAction(action: () => Promise<unknown>) {
    revalidatedPaths.length = 0;
    await action().catch((error) => {
      if (!(error instanceof RedirectSignal)) throw error;
    });
    return {
      expired: revalidatedPaths.includes(PUBLISHED_LIST_PATH),
      listed: await listPublishedRecipesWithPhotos(db),
    };
  }

  it("is expired by publish, editing a published recipe, unpublish and delete, and lists the change", async () => {
    const cook = await signUpTestUser();
    const [recipe] = await db.insert(schema.recipes).values({ userId: cook.id, title: "Cached stew" }).returning();
    const id = recipe!.id;

    const published = await afterAction(() => setPublishedAction({}, form({ id, published: "true" })));
    expect(published.expired).toBe(true);
    expect(published.listed.map((r) => r.id)).toContain(id);

    const renamed = await afterAction(() => updateRecipeAction({}, form({ ...valid, id, title: "Renamed stew" })));
    expect(renamed.expired).toBe(true);
    expect(renamed.listed.find((r) => r.id === id)?.title).toBe("Renamed stew");

    const unpublished = await afterAction(() => setPublishedAction({}, form({ id, published: "false" })));
    expect(unpublished.expired).toBe(true);
    expect(unpublished.listed.map((r) => r.id)).not.toContain(id);

    await setPublishedAction({}, form({ id, published: "true" }));
    const deleted = await afterAction(() => deleteRecipeAction({}, form({ id })));
    expect(deleted.expired).toBe(true);
    expect(deleted.listed.map((r) => r.id)).not.toContain(id);
  });

  it("is left cached by changes to a draft, which / does not show", async () => {
    const cook = await signUpTestUser();
    const [draft] = await db.insert(schema.recipes).values({ userId: cook.id, title: "Draft stew" }).returning();
    const edited = await afterAction(() =>
      updateRecipeAction({}, form({ ...valid, id: draft!.id, title: "Still a draft" })),
    );
    expect(edited.expired).toBe(false);
    const deleted = await afterAction(() => deleteRecipeAction({}, form({ id: draft!.id })));
    expect(deleted.expired).toBe(false);
  });
});

describe("planWeekAction", () => {
  const weekPlansOf = (userId: string) =>
    db
      .select()
      .from(schema.aiGenerations)
      .where(and(eq(schema.aiGenerations.userId, userId), eq(schema.aiGenerations.kind, "week-plan")));

  it("starts the job for the signed-in user, whose plan is stored once it has run", async () => {
    const cook = await signUpTestUser();
    await createRecipe(db, cook.id, { title: "Dal", description: "", ingredients: [], steps: [] });

    const state = await planWeekAction({}, new FormData());

    expect(state).toEqual({ ok: true });
    expect((await weekPlansOf(cook.id))[0]?.status).toBe("pending");
    await flushAfterResponse();
    const [row] = await weekPlansOf(cook.id);
    expect(row?.status).toBe("succeeded");
    expect(JSON.stringify(row?.result)).toContain('"dinner":"Dal"');
  });

  it("says so when today's plans are used up, and points Free users to /pricing", async () => {
    await signUpTestUser();
    await planWeekAction({}, new FormData());
    await flushAfterResponse();

    expect(await planWeekAction({}, new FormData())).toEqual({
      error: "You have used today's 1 week plan on the Free plan. Upgrade to Pro for more, or try again tomorrow.",
      upgrade: true,
    });
  });

  it("refuses a caller without a session", async () => {
    signOutTestUser();
    expect(await planWeekAction({}, new FormData())).toEqual({ error: "You must be signed in to do that." });
  });
});
