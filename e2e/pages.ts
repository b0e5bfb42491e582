import { expect, type Page } from "@playwright/test";
import { createRecipe, newUser, recipeRow, signUp, uniqueTag } from "./support";

/**
 * Every page of the app, for the checks that walk them all (e2e/mobile.e2e.ts, e2e/accessibility.e2e.ts):
 * signed out, then as a cook with a recipe (and no photo: the row that squeezed its title), with the dev tools
 * holding emails and webhook events to show.
 */
export const signedOutPages = [
  "/",
  "/sign-in",
  "/sign-up",
  "/forgot-password",
  "/reset-password",
  "/reset-password?token=a-token-from-an-email",
  "/contact",
  "/pricing",
  "/goodbye",
  "/no-such-page",
  "/dev",
  "/dev/emails",
  "/dev/webhooks",
  "/dev/stripe",
  "/dev/observability",
];

/** Signs a new cook up, writes a recipe, and lists the pages to visit as them. */
export async function signedInPages(page: Page): Promise<{ paths: string[]; recipeTitle: string }> {
  await signUp(page, newUser("walker"));
  // A long title, as people write them: it must wrap, never squeeze into a column or push the page wider.
  const recipeTitle = `Grandmother's slow-cooked Sunday ragù with fresh pappardelle ${uniqueTag()}`;
  await createRecipe(page, { title: recipeTitle, description: "Worth the wait.", ingredients: ["1 kg beef"] });
  const edit = await recipeRow(page, recipeTitle)
    .getByRole("link", { name: `Edit ${recipeTitle}` })
    .getAttribute("href");
  const team = edit!.split("/recipes/")[0];
  return {
    recipeTitle,
    paths: [
      "/dashboard",
      "/dashboard/recipes/new",
      edit!,
      // The team's pages, as the owner of their personal team sees them: the audit log has recipe.created.
      `${team}/audit`,
      `${team}/members`,
      `${team}/billing`,
      `${team}/settings`,
      `${team}/api-keys`,
      `${team}/webhooks`,
      "/teams/new",
      "/docs/api/problems",
      "/account",
      "/pricing",
      "/dev",
      "/dev/emails",
      "/dev/stripe",
      "/dev/webhooks",
      "/dev/observability",
      "/",
    ],
  };
}

/**
 * Opens a page and waits until it is interactive: the header's account links have decided who is looking
 * (`data-viewer` leaves "pending" in an effect, so React has hydrated the page by then).
 */
export async function openPage(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('ul[aria-label="Account"]').first()).not.toHaveAttribute("data-viewer", "pending");
}
