import { expect, test, type Page } from "@playwright/test";
import { openPage } from "./pages";
import { createRecipe, newUser, recipeRow, signUp, uniqueTag } from "./support";

/**
 * Every page hydrates as rendered: no hydration mismatch, no uncaught error.
 * Markup the browser's HTML parser rewrites (a <div> inside a <p>) makes React
 * throw the server's HTML away and render the page again in the browser,
 * and a click in that moment is lost.
 */

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    // The outbox's email previews are sandboxed frames that may not run scripts: the browser says so, as it should.
    if (message.location().url === "about:srcdoc") return;
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  return errors;
}

// The header's account links decide who is looking once the page has hydrated (openPage waits for that):
// by then any hydration error has been reported.
async function openHydrated(page: Page, path: string) {
  await openPage(page, path);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

test("signed-out pages hydrate without an error", async ({ page }) => {
  const errors = collectErrors(page);
  for (const path of ["/", "/contact", "/pricing", "/sign-in", "/sign-up", "/forgot-password", "/goodbye"])
    await openHydrated(page, path);
  expect(errors).toEqual([]);
});

test("signed-in pages hydrate without an error", async ({ page }) => {
  await signUp(page, newUser("hydration"));
  // A recipe, so the dashboard has a row with its actions and there is an edit page to open.
  const title = `Hydration stew ${uniqueTag()}`;
  await createRecipe(page, { title, ingredients: ["1 pot"] });
  const edit = await recipeRow(page, title)
    .getByRole("link", { name: `Edit ${title}` })
    .getAttribute("href");
  const errors = collectErrors(page);
  for (const path of ["/dashboard", "/dashboard/recipes/new", edit!, "/account", "/pricing"])
    await openHydrated(page, path);
  // The local tools the README sends a new user to (on in the browser tests).
  for (const path of ["/dev", "/dev/emails", "/dev/stripe", "/dev/webhooks", "/dev/observability"])
    await openHydrated(page, path);
  expect(errors).toEqual([]);
});
