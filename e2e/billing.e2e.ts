import { expect, test } from "@playwright/test";
import { createRecipe, fillRecipeForm, newRecipe, recipeRow, signUp } from "./support";

test.describe("billing", () => {
  test("Free holds three recipes; upgrading through the Stripe simulator makes room for the fourth", async ({
    page,
  }) => {
    await signUp(page);
    for (const label of ["First", "Second", "Third"]) await createRecipe(page, newRecipe(label));
    await expect(page.getByText("3 of 3 recipes on Free")).toBeVisible();

    // The fourth is refused, the form keeps it, and points to the plans.
    const fourth = newRecipe("Fourth");
    await page.goto("/dashboard/recipes/new");
    await fillRecipeForm(page, fourth);
    await page.getByRole("button", { name: "Create recipe" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "The Free plan holds 3 recipes." })).toBeVisible();
    await expect(page.getByRole("link", { name: "See plans and upgrade to Pro" })).toBeVisible();
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue(fourth.title);
    await page.goto("/dashboard");
    await expect(recipeRow(page, fourth.title)).toHaveCount(0);

    // Checkout completes (a signed event through the real webhook route, processed after the response).
    await page.goto("/dev/stripe");
    await page.getByRole("button", { name: "Complete a checkout (→ Pro)" }).click();
    await expect(page.getByRole("status").filter({ hasText: /./ })).toBeVisible();
    await expect(async () => {
      await page.goto("/dashboard");
      await expect(page.getByText(/Pro: unlimited recipes/)).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });

    await createRecipe(page, fourth);
    await expect(page.getByText("Pro: unlimited recipes (4 so far)")).toBeVisible();

    // And back to Free when the subscription is canceled.
    await page.goto("/dev/stripe");
    await page.getByRole("button", { name: "Cancel the subscription (→ Free)" }).click();
    await expect(async () => {
      await page.goto("/dashboard");
      await expect(page.getByText("4 of 3 recipes on Free")).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  });
});
