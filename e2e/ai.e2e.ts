import { expect, test, type Page } from "@playwright/test";
import { expectNotCovered, recipeRow, signUp, TEAM_HOME, uniqueTag } from "./support";

/**
 * AI with no key: the offline model streams a labelled sample draft through
 * the same route, hook and job as a real provider would.
 */

/** Notes, in the page, whether the title filled in while the draft was still streaming (Stop showing, steps empty). */
async function watchForPartialDraft(page: Page) {
  await page.evaluate(() => {
    const seen = window as unknown as { sawPartialDraft?: boolean };
    seen.sawPartialDraft = false;
    const timer = setInterval(() => {
      const title = document.querySelector<HTMLInputElement>("#title");
      const steps = document.querySelector<HTMLTextAreaElement>("#steps");
      const stop = [...document.querySelectorAll("button")].some((button) => button.textContent === "Stop");
      if (title?.value && !steps?.value && stop) {
        seen.sawPartialDraft = true;
        clearInterval(timer);
      }
    }, 5);
    setTimeout(() => clearInterval(timer), 30_000);
  });
}

test.describe("AI drafts and Plan my week", () => {
  test("a cook drafts a recipe from an idea, edits and saves it, then plans the week without a reload", async ({
    page,
  }) => {
    await signUp(page);
    await expect(page.getByTestId("ai-drafts-left")).toHaveText("5 of 5 AI drafts left today");
    await page.getByRole("link", { name: "New recipe" }).click();
    await expect(page).toHaveURL(/\/t\/[a-z0-9-]+\/recipes\/new$/);
    const idea = page.getByLabel("Your idea");
    const title = page.getByLabel("Title", { exact: true });

    // Saved empty, the form says what is missing; a draft that fills the fields later takes those errors away.
    await page.getByRole("button", { name: "Create recipe" }).click();
    await expect(title).toHaveAttribute("aria-invalid", "true");
    const correctThem = page.getByRole("alert").filter({ hasText: "Please correct the highlighted fields." });
    await expect(correctThem).toBeVisible();

    // A bad idea gets the route's field error.
    await idea.fill("ab");
    await page.getByRole("button", { name: "Draft with AI" }).click();
    await expect(page.getByText("Describe the dish in at least 3 characters.")).toBeVisible();
    await expect(idea).toHaveAttribute("aria-invalid", "true");

    // Stop aborts a draft; the fields keep what arrived.
    await idea.fill("slow-cooked beans");
    await page.getByRole("button", { name: "Draft with AI" }).click();
    await page.getByRole("button", { name: "Stop" }).click();
    await expect(page.getByText("Stopped. The fields keep what was written so far.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Draft with AI" })).toBeVisible();

    // The fields fill in as the model writes.
    await idea.fill("a quick weeknight dal");
    await watchForPartialDraft(page);
    await page.getByRole("button", { name: "Draft with AI" }).click();
    await expect(title).toHaveValue("Sample: Quick weeknight dal");
    await expect(title).not.toHaveAttribute("aria-invalid", "true");
    await expect(correctThem).toHaveCount(0);
    await expect(page.getByText("Draft ready: check it, edit anything, then create the recipe.")).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { sawPartialDraft?: boolean }).sawPartialDraft)).toBe(true);
    await expect(page.getByLabel("Description", { exact: true })).toHaveValue(/Sample draft \(offline model\)/);
    await expect(page.getByLabel("Ingredients", { exact: true })).toHaveValue(/400 g of the main ingredient/);
    await expect(page.getByLabel("Steps", { exact: true })).toHaveValue(/Warm the oil/);
    await expect(page.getByText(/3 of 5 AI\s+drafts left today/)).toBeVisible();

    // Editable before saving; the usual Server Action saves it.
    const saved = `Weeknight dal ${uniqueTag()}`;
    await title.fill(saved);
    await page.getByRole("button", { name: "Create recipe" }).click();
    await expect(page).toHaveURL(TEAM_HOME);
    await expect(recipeRow(page, saved)).toContainText("5 ingredients");
    await expect(page.getByTestId("ai-drafts-left")).toHaveText("3 of 5 AI drafts left today");

    // Plan my week: a background job; the open dashboard shows the plan when it is stored, with no reload.
    const weekPlan = page.getByRole("region", { name: "This week's menu" });
    await expect(weekPlan).toContainText("1 of 1 week plan left today");
    // Once the page listens on /api/events (it is hydrated then), nothing it is told is missed.
    const listening = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/events");
    await page.reload();
    await listening;
    await page.evaluate(() => ((window as unknown as { notReloaded?: boolean }).notReloaded = true));
    await weekPlan.getByRole("button", { name: "Plan my week" }).click();
    const days = weekPlan.getByRole("list", { name: "Week plan" }).getByRole("listitem");
    await expect(days).toHaveCount(7);
    await expect(days.first()).toContainText(`Monday${saved}`);
    await expect(weekPlan.getByText("Your week's menu is ready.")).toBeVisible();
    // Said in the plan's own panel, not in a toast over the page: the first recipe's buttons stay uncovered.
    await expectNotCovered(recipeRow(page, saved).getByRole("button", { name: "Delete" }));
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await expect(weekPlan).toContainText("0 of 1 week plan left today");

    // The next visit shows it too, and today's plan is used up.
    await page.reload();
    await expect(days).toHaveCount(7);
    await weekPlan.getByRole("button", { name: "Plan my week" }).click();
    await expect(weekPlan.getByRole("alert")).toHaveText(/You have used today's 1 week plan on the Free plan/);
  });
});
