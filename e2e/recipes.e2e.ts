import { expect, test } from "@playwright/test";
import {
  createRecipe,
  expectFieldError,
  fillRecipeForm,
  newRecipe,
  newUser,
  publishedRecipe,
  recipeRow,
  signUp,
  TEAM_HOME,
} from "./support";

test.describe("Recipes", () => {
  test("a cook writes a recipe (after fixing a one-letter title), edits it and deletes it", async ({ page }) => {
    await signUp(page);
    const recipe = newRecipe("Lentil soup");

    await page.getByRole("link", { name: "New recipe" }).click();
    await expect(page).toHaveURL(/\/t\/[a-z0-9-]+\/recipes\/new$/);
    await fillRecipeForm(page, { ...recipe, title: "L" });
    await page.getByRole("button", { name: "Create recipe" }).click();
    await expectFieldError(
      page.getByLabel("Title", { exact: true }),
      "Give the recipe a title (at least 2 characters).",
    );
    await expect(page).toHaveURL(/\/t\/[a-z0-9-]+\/recipes\/new$/);
    // The other fields keep what was typed.
    await expect(page.getByLabel("Description", { exact: true })).toHaveValue(recipe.description!);

    await page.getByLabel("Title", { exact: true }).fill(recipe.title);
    await page.getByRole("button", { name: "Create recipe" }).click();
    await expect(page).toHaveURL(TEAM_HOME);
    const row = recipeRow(page, recipe.title);
    await expect(row.getByRole("heading")).toContainText("Draft");
    await expect(row).toContainText("2 ingredients");

    await row.getByRole("link", { name: `Edit ${recipe.title}` }).click();
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue(recipe.title);
    const renamed = `${recipe.title} with lemon`;
    await page.getByLabel("Title", { exact: true }).fill(renamed);
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).toHaveURL(TEAM_HOME);
    await expect(recipeRow(page, renamed)).toBeVisible();
    await expect(page.getByRole("heading", { name: recipe.title, exact: true })).toHaveCount(0);

    // Asked first, in a dialog: Cancel keeps the recipe, Delete deletes it.
    await recipeRow(page, renamed).getByRole("button", { name: "Delete" }).click();
    const question = page.getByRole("alertdialog", { name: `Delete “${renamed}”?` });
    await expect(question).toContainText("This cannot be undone.");
    await question.getByRole("button", { name: "Cancel" }).click();
    await expect(recipeRow(page, renamed)).toBeVisible();
    await recipeRow(page, renamed).getByRole("button", { name: "Delete" }).click();
    await question.getByRole("button", { name: "Delete" }).click();
    await expect(recipeRow(page, renamed)).toHaveCount(0);
    await expect(page.getByText("No recipes yet.")).toBeVisible();
    // Gone for good, not just from this render.
    await page.reload();
    await expect(page.getByRole("heading", { name: renamed })).toHaveCount(0);
  });

  test("publishing puts a recipe on the landing page; unpublishing takes it off", async ({ page }) => {
    const cook = await signUp(page, newUser("publisher"));
    const recipe = await createRecipe(page, newRecipe("Focaccia"));

    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Recipes from our cooks" })).toBeVisible();
    await expect(publishedRecipe(page, recipe.title)).toHaveCount(0);
    // The page is the same cached copy for everyone; the browser swaps the invitation for a signed-in cook.
    const intro = page.getByRole("main").getByText("Published recipes appear here.");
    await expect(intro.getByRole("link", { name: "dashboard" })).toBeVisible();
    await expect(intro.getByRole("link", { name: "Sign up" })).toHaveCount(0);

    await page.goto("/dashboard");
    await recipeRow(page, recipe.title).getByRole("button", { name: "Publish" }).click();
    await expect(recipeRow(page, recipe.title).getByRole("status")).toHaveText(`Published “${recipe.title}”.`);
    await expect(recipeRow(page, recipe.title).getByRole("heading")).toContainText("Published");

    await page.goto("/");
    const card = publishedRecipe(page, recipe.title);
    await expect(card).toBeVisible();
    await expect(card).toContainText(`by ${cook.name}`);
    await expect(card.getByRole("listitem")).toHaveText(recipe.ingredients!);

    await page.goto("/dashboard");
    await recipeRow(page, recipe.title).getByRole("button", { name: "Unpublish" }).click();
    await expect(recipeRow(page, recipe.title).getByRole("status")).toHaveText(`Unpublished “${recipe.title}”.`);
    await expect(recipeRow(page, recipe.title).getByRole("heading")).toContainText("Draft");

    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Recipes from our cooks" })).toBeVisible();
    await expect(publishedRecipe(page, recipe.title)).toHaveCount(0);

    // Signed out, the same page invites the visitor to sign up.
    await page.context().clearCookies();
    await page.goto("/");
    await expect(intro.getByRole("link", { name: "Sign up" })).toBeVisible();
    await expect(intro.getByRole("link", { name: "dashboard" })).toHaveCount(0);
  });
});
