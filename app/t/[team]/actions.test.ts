import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FREE_RECIPE_LIMIT } from "@/lib/billing";
import { db, schema } from "@/lib/db";
import {
  PUBLISHED_LIST_PATH,
  RecipeLimitReachedError,
  createRecipe,
  listPublishedRecipesWithPhotos,
} from "@/lib/recipes";
import { createTeam } from "@/lib/teams";
import { revalidatedPaths } from "@/tests/support/next/cache";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { signOutTestUser, signUpTestUser as signUpAnyone } from "@/tests/support/users";
import {
  createRecipeAction,
  deleteRecipeAction,
  planWeekAction,
  setPublishedAction,
  updateRecipeAction,
} from "./actions";
import { form } from "@/tests/support/form";

/** The team the fake browser's forms name: the signed-in cook's personal team (each form carries `teamId`). */
let currentTeam = { id: "", slug: "" };

async function signUpTestUser(name?: string) {
  const cook = await signUpAnyone(name);
  const team = { id: cook.teamId, slug: cook.teamSlug };
  currentTeam = team;
  return {
    ...cook,
    actAs: () => {
      cook.actAs();
      currentTeam = team;
    },
  };
}

/** The form a page of the current team posts. */
const teamForm = (fields: Record<string, string>) => form({ teamId: currentTeam.id, ...fields });
const toTeamPage = () => new RedirectSignal(`/t/${currentTeam.slug}`);

// The first sign-up migrates the embedded database and warms Better Auth: a hook's timeout, not a test's.
beforeAll(() => signUpTestUser(), 180_000);

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
  return db.select().from(schema.recipes).where(eq(schema.recipes.createdBy, userId));
}

/** Another user's recipe, to forge ids against. */
async function someoneElsesRecipe(published = false) {
  const other = await signUpTestUser("Other Cook");
  const [recipe] = await db
    .insert(schema.recipes)
    .values({
      organizationId: other.teamId,
      createdBy: other.id,
      title: "Not yours",
      published,
      publishedAt: published ? new Date() : null,
    })
    .returning();
  return recipe!;
}

describe("createRecipeAction", () => {
  it("stores the recipe for the signed-in user and redirects to the dashboard", async () => {
    const cook = await signUpTestUser();
    await expect(createRecipeAction({}, teamForm(valid))).rejects.toEqual(toTeamPage());
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
    const state = await createRecipeAction({}, teamForm({ title: "x", ingredients: "a".repeat(201) }));
    expect(state.fieldErrors?.title?.[0]).toMatch(/at least 2/);
    expect(state.fieldErrors?.ingredients?.[0]).toMatch(/under 200/);
    expect(state.values?.title).toBe("x");
    expect(await recipesOf(cook.id)).toEqual([]);
  });

  it("writes into the team its form names: two tabs open on two teams never write into the wrong one", async () => {
    const cook = await signUpTestUser();
    const personal = currentTeam;
    const bistro = await createTeam(db, { name: "Two Tabs Bistro", ownerId: cook.id });
    // Tab 1 is on the personal team's page, tab 2 on the bistro's; the posts interleave.
    const post = async (team: { id: string; slug: string }, title: string) => {
      currentTeam = team;
      await expect(createRecipeAction({}, teamForm({ ...valid, title }))).rejects.toEqual(toTeamPage());
    };
    await post(personal, "Tab one soup");
    await post({ id: bistro.id, slug: bistro.slug }, "Tab two soup");
    await post(personal, "Tab one stew");
    const rows = await recipesOf(cook.id);
    const teamOf = (title: string) => rows.find((row) => row.title === title)?.organizationId;
    expect(teamOf("Tab one soup")).toBe(personal.id);
    expect(teamOf("Tab one stew")).toBe(personal.id);
    expect(teamOf("Tab two soup")).toBe(bistro.id);
  });

  it("refuses a caller without a session", async () => {
    signOutTestUser();
    const before = await db.$count(schema.recipes);
    const state = await createRecipeAction({}, teamForm({ ...valid, title: "Anonymous soup" }));
    expect(state.error).toMatch(/signed in/);
    expect(await db.select().from(schema.recipes).where(eq(schema.recipes.title, "Anonymous soup"))).toEqual([]);
    expect(await db.$count(schema.recipes)).toBeGreaterThanOrEqual(before);
  });
});

describe("the Free plan's recipe limit", () => {
  async function createThroughAction(title: string) {
    await expect(createRecipeAction({}, teamForm({ ...valid, title }))).rejects.toEqual(toTeamPage());
  }

  async function subscribe(teamId: string, status: string) {
    await db.insert(schema.subscriptions).values({
      id: `sub_test${randomUUID()}`,
      organizationId: teamId,
      customerId: `cus_test${randomUUID()}`,
      status,
      lastEventAt: new Date(),
    });
  }

  it(`refuses the recipe after ${FREE_RECIPE_LIMIT} on Free, stores nothing, and points to /pricing`, async () => {
    const cook = await signUpTestUser();
    for (let i = 1; i <= FREE_RECIPE_LIMIT; i++) await createThroughAction(`Soup ${i}`);

    const state = await createRecipeAction({}, teamForm({ ...valid, title: "One soup too many" }));

    expect(state).toMatchObject({
      error: "The Free plan holds 3 recipes. Upgrade to Pro for unlimited recipes, or delete one first.",
      upgrade: true,
      values: {
        title: "One soup too many",
        description: "Warm and red.",
        // Exactly as typed: the form keeps what the cook wrote.
        ingredients: valid.ingredients,
        steps: valid.steps,
      },
    });
    expect((await recipesOf(cook.id)).map((recipe) => recipe.title).sort()).toEqual(["Soup 1", "Soup 2", "Soup 3"]);
  });

  it("stores a fourth recipe for a Pro subscriber (active, trialing, or past due within Stripe's retries)", async () => {
    for (const status of ["active", "trialing", "past_due"]) {
      const cook = await signUpTestUser();
      await subscribe(cook.teamId, status);
      for (let i = 1; i <= FREE_RECIPE_LIMIT + 1; i++) await createThroughAction(`Stew ${i}`);
      expect(await recipesOf(cook.id)).toHaveLength(FREE_RECIPE_LIMIT + 1);
    }
  });

  it("applies the limit again once the subscription is canceled", async () => {
    const cook = await signUpTestUser();
    await subscribe(cook.teamId, "canceled");
    for (let i = 1; i <= FREE_RECIPE_LIMIT; i++) await createThroughAction(`Bread ${i}`);

    expect((await createRecipeAction({}, teamForm(valid))).upgrade).toBe(true);
    expect(await recipesOf(cook.id)).toHaveLength(FREE_RECIPE_LIMIT);
  });

  it("holds when many creates race: exactly the limit is stored", async () => {
    const cook = await signUpTestUser();
    const input = { title: "Racing soup", description: "", ingredients: [], steps: [] };

    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => createRecipe(db, { teamId: cook.teamId, userId: cook.id }, input)),
    );

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
    const [recipe] = await db
      .insert(schema.recipes)
      .values({ organizationId: cook.teamId, createdBy: cook.id, title: "Old title" })
      .returning();
    recipeId = recipe!.id;
  });

  it("saves the change and redirects", async () => {
    await expect(updateRecipeAction({}, teamForm({ ...valid, id: recipeId }))).rejects.toBeInstanceOf(RedirectSignal);
    expect((await recipeRow(recipeId))?.title).toBe("Tomato soup");
  });

  it("returns field errors and leaves the row alone", async () => {
    const state = await updateRecipeAction({}, teamForm({ id: recipeId, title: "" }));
    expect(state.fieldErrors?.title).toBeDefined();
    expect((await recipeRow(recipeId))?.title).toBe("Old title");
  });

  it("refuses a caller without a session", async () => {
    signOutTestUser();
    const state = await updateRecipeAction({}, teamForm({ ...valid, id: recipeId }));
    expect(state.error).toMatch(/signed in/);
    expect((await recipeRow(recipeId))?.title).toBe("Old title");
  });

  it("refuses another user's recipe and changes nothing", async () => {
    const foreign = await someoneElsesRecipe();
    actAsOwner();
    const state = await updateRecipeAction({}, teamForm({ ...valid, id: foreign.id }));
    expect(state.error).toMatch(/not yours/);
    expect(await recipeRow(foreign.id)).toEqual(foreign);
  });
});

describe("deleteRecipeAction", () => {
  it("deletes the user's recipe", async () => {
    const cook = await signUpTestUser();
    const [recipe] = await db
      .insert(schema.recipes)
      .values({ organizationId: cook.teamId, createdBy: cook.id, title: "Gone soon" })
      .returning();
    const state = await deleteRecipeAction({}, teamForm({ id: recipe!.id }));
    expect(state).toMatchObject({ ok: true, message: "Deleted “Gone soon”." });
    expect(await recipeRow(recipe!.id)).toBeUndefined();
  });

  it("returns a field error for an id that is not a uuid", async () => {
    await signUpTestUser();
    const state = await deleteRecipeAction({}, teamForm({ id: "1 or 1=1" }));
    expect(state.fieldErrors?.id).toEqual(["Unknown recipe."]);
  });

  it("refuses a caller without a session", async () => {
    const foreign = await someoneElsesRecipe();
    signOutTestUser();
    expect((await deleteRecipeAction({}, teamForm({ id: foreign.id }))).error).toMatch(/signed in/);
    expect(await recipeRow(foreign.id)).toEqual(foreign);
  });

  it("refuses another user's recipe and keeps it", async () => {
    const foreign = await someoneElsesRecipe();
    await signUpTestUser();
    expect((await deleteRecipeAction({}, teamForm({ id: foreign.id }))).error).toMatch(/not yours/);
    expect(await recipeRow(foreign.id)).toEqual(foreign);
  });
});

describe("setPublishedAction", () => {
  it("publishes and unpublishes the user's recipe", async () => {
    const cook = await signUpTestUser();
    const [recipe] = await db
      .insert(schema.recipes)
      .values({ organizationId: cook.teamId, createdBy: cook.id, title: "Bread" })
      .returning();
    expect(await setPublishedAction({}, teamForm({ id: recipe!.id, published: "true" }))).toMatchObject({ ok: true });
    expect(await recipeRow(recipe!.id)).toMatchObject({ published: true, publishedAt: expect.any(Date) });
    expect(await setPublishedAction({}, teamForm({ id: recipe!.id, published: "false" }))).toMatchObject({ ok: true });
    expect(await recipeRow(recipe!.id)).toMatchObject({ published: false, publishedAt: null });
  });

  it("returns a field error for a bad flag", async () => {
    const cook = await signUpTestUser();
    const [recipe] = await db
      .insert(schema.recipes)
      .values({ organizationId: cook.teamId, createdBy: cook.id, title: "Bread" })
      .returning();
    const state = await setPublishedAction({}, teamForm({ id: recipe!.id, published: "yes" }));
    expect(state.fieldErrors?.published).toBeDefined();
    expect((await recipeRow(recipe!.id))?.published).toBe(false);
  });

  it("refuses a caller without a session", async () => {
    const foreign = await someoneElsesRecipe();
    signOutTestUser();
    expect((await setPublishedAction({}, teamForm({ id: foreign.id, published: "true" }))).error).toMatch(/signed in/);
    expect((await recipeRow(foreign.id))?.published).toBe(false);
  });

  it("refuses another user's recipe and changes nothing", async () => {
    const foreign = await someoneElsesRecipe();
    await signUpTestUser();
    expect((await setPublishedAction({}, teamForm({ id: foreign.id, published: "true" }))).error).toMatch(/not yours/);
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
    const [recipe] = await db
      .insert(schema.recipes)
      .values({ organizationId: cook.teamId, createdBy: cook.id, title: "Cached stew" })
      .returning();
    const id = recipe!.id;

    const published = await afterAction(() => setPublishedAction({}, teamForm({ id, published: "true" })));
    expect(published.expired).toBe(true);
    expect(published.listed.map((r) => r.id)).toContain(id);

    const renamed = await afterAction(() => updateRecipeAction({}, teamForm({ ...valid, id, title: "Renamed stew" })));
    expect(renamed.expired).toBe(true);
    expect(renamed.listed.find((r) => r.id === id)?.title).toBe("Renamed stew");

    const unpublished = await afterAction(() => setPublishedAction({}, teamForm({ id, published: "false" })));
    expect(unpublished.expired).toBe(true);
    expect(unpublished.listed.map((r) => r.id)).not.toContain(id);

    await setPublishedAction({}, teamForm({ id, published: "true" }));
    const deleted = await afterAction(() => deleteRecipeAction({}, teamForm({ id })));
    expect(deleted.expired).toBe(true);
    expect(deleted.listed.map((r) => r.id)).not.toContain(id);
  });

  it("is left cached by changes to a draft, which / does not show", async () => {
    const cook = await signUpTestUser();
    const [draft] = await db
      .insert(schema.recipes)
      .values({ organizationId: cook.teamId, createdBy: cook.id, title: "Draft stew" })
      .returning();
    const edited = await afterAction(() =>
      updateRecipeAction({}, teamForm({ ...valid, id: draft!.id, title: "Still a draft" })),
    );
    expect(edited.expired).toBe(false);
    const deleted = await afterAction(() => deleteRecipeAction({}, teamForm({ id: draft!.id })));
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
    await createRecipe(
      db,
      { teamId: cook.teamId, userId: cook.id },
      { title: "Dal", description: "", ingredients: [], steps: [] },
    );

    const state = await planWeekAction({}, teamForm({}));

    expect(state).toEqual({ ok: true });
    expect((await weekPlansOf(cook.id))[0]?.status).toBe("pending");
    await flushAfterResponse();
    const [row] = await weekPlansOf(cook.id);
    expect(row?.status).toBe("succeeded");
    expect(JSON.stringify(row?.result)).toContain('"dinner":"Dal"');
  });

  it("says so when today's plans are used up, and points Free users to /pricing", async () => {
    await signUpTestUser();
    await planWeekAction({}, teamForm({}));
    await flushAfterResponse();

    expect(await planWeekAction({}, teamForm({}))).toMatchObject({
      error: "You have used today's 1 week plan on the Free plan. Upgrade to Pro for more, or try again tomorrow.",
      upgrade: true,
    });
  });

  it("refuses a caller without a session", async () => {
    signOutTestUser();
    expect(await planWeekAction({}, teamForm({}))).toEqual({ error: "You must be signed in to do that." });
  });
});

describe("createRecipeAction with text Postgres cannot store", () => {
  it("answers a field error for a NUL in the title, stores nothing, and keeps the other fields", async () => {
    const cook = await signUpTestUser("Nul Cook");
    const state = await createRecipeAction({}, form({ ...valid, title: "Secret\u0000Recipe" }));
    expect(state.fieldErrors).toEqual({ title: ["Remove the invisible control characters from this field."] });
    expect(state.values?.description).toBe(valid.description);
    expect(await recipesOf(cook.id)).toEqual([]);
  });
});
