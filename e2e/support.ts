import { randomUUID } from "node:crypto";
import { expect, type Locator, type Page } from "@playwright/test";

/**
 * Steps the flows share. The tests run against one server and one database,
 * so every user and recipe gets a unique name: no test sees another's data.
 */

export type TestUser = { name: string; email: string; password: string };
export type TestRecipe = { title: string; description?: string; ingredients?: string[] };

/** A short random tag, to make names unique across tests and runs. */
export function uniqueTag() {
  return randomUUID().slice(0, 8);
}

export function newUser(label = "cook"): TestUser {
  const tag = uniqueTag();
  return { name: `${label} ${tag}`, email: `${label}-${tag}@example.com`, password: `pass-${tag}-word` };
}

/** Opens /sign-up, fills and sends its form; the app answers "Check your email" whether or not the address is new. */
export async function submitSignUp(page: Page, user: TestUser) {
  await page.goto("/sign-up");
  await fillSignUp(page, user);
}

/** Fills and sends the sign-up form the page shows (reached by a link, with its `next`), up to "Check your email". */
export async function fillSignUp(page: Page, user: TestUser) {
  await page.getByLabel("Name", { exact: true }).fill(user.name);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
}

/**
 * Signs a new user up through /sign-up, follows the confirmation link from the
 * dev outbox (/dev/emails), which signs them in, and waits for the dashboard.
 */
export async function signUp(page: Page, user: TestUser = newUser()): Promise<TestUser> {
  await submitSignUp(page, user);
  await openEmailLink(page, user.email, "Open the confirmation link");
  await expectSignedInAs(page, user);
  return user;
}

/** The newest email to `to` in the dev outbox that offers the link `linkName`. */
export function outboxEmail(page: Page, to: string, linkName: string): Locator {
  return page
    .getByRole("list", { name: "Emails" })
    .getByRole("listitem")
    .filter({ hasText: to })
    .filter({ has: page.getByRole("link", { name: linkName }) })
    .first();
}

/** Opens /dev/emails (where emails go without RESEND_API_KEY) and follows the link of the newest matching email. */
export async function openEmailLink(page: Page, to: string, linkName: string) {
  await page.goto("/dev/emails");
  await outboxEmail(page, to, linkName).getByRole("link", { name: linkName }).click();
}

/** A team's home page, /t/<slug>: where sign-in lands (the personal team) and a new recipe returns to. */
export const TEAM_HOME = /\/t\/[a-z0-9-]+$/;

export async function expectSignedInAs(page: Page, user: TestUser) {
  await expect(page).toHaveURL(TEAM_HOME);
  await expect(page.getByText(`Signed in as ${user.email}`)).toBeVisible();
}

/** Fills the recipe form (new or edit) without submitting it. */
export async function fillRecipeForm(page: Page, recipe: TestRecipe) {
  await page.getByLabel("Title", { exact: true }).fill(recipe.title);
  if (recipe.description !== undefined) await page.getByLabel("Description", { exact: true }).fill(recipe.description);
  if (recipe.ingredients !== undefined)
    await page.getByLabel("Ingredients", { exact: true }).fill(recipe.ingredients.join("\n"));
}

/** Creates a recipe in the personal team (/dashboard/recipes/new leads there) and waits for it on the team page. */
export async function createRecipe(page: Page, recipe: TestRecipe): Promise<TestRecipe> {
  await page.goto("/dashboard/recipes/new");
  await expect(page).toHaveURL(/\/t\/[a-z0-9-]+\/recipes\/new$/);
  await fillRecipeForm(page, recipe);
  await page.getByRole("button", { name: "Create recipe" }).click();
  await expect(page).toHaveURL(TEAM_HOME);
  await expect(recipeRow(page, recipe.title)).toBeVisible();
  return recipe;
}

export function newRecipe(label = "Soup"): TestRecipe {
  return { title: `${label} ${uniqueTag()}`, description: "Warm and simple.", ingredients: ["2 onions", "1 l stock"] };
}

/** The team page's row of one recipe, found by its title. */
export function recipeRow(page: Page, title: string): Locator {
  return page
    .getByRole("list", { name: "Recipes" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { name: title }) });
}

/** A recipe card on the public landing page. */
export function publishedRecipe(page: Page, title: string): Locator {
  return page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: title, exact: true }) });
}

/**
 * The field's accessible description: its hint and the error under it. `timeout` is how long the form's answer
 * may take to arrive (longer under `next dev`, which compiles a Server Action on its first call).
 */
export async function expectFieldError(
  field: Locator,
  message: string | RegExp,
  { timeout }: { timeout?: number } = {},
) {
  await expect(field).toHaveAttribute("aria-invalid", "true", { timeout });
  await expect(field).toHaveAccessibleDescription(
    typeof message === "string" ? new RegExp(escapeRegExp(message)) : message,
  );
}

/** The element is what a tap on its middle reaches: nothing (a toast, a banner) lies over it. */
export async function expectNotCovered(target: Locator) {
  await target.scrollIntoViewIfNeeded();
  const reached = await target.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return top === el || el.contains(top) ? "itself" : (top?.outerHTML.slice(0, 120) ?? "nothing");
  });
  expect(reached).toBe("itself");
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
