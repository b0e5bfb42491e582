import { expect, test } from "@playwright/test";
import { newUser, signUp, uniqueTag } from "./support";

/**
 * The admin area in a browser: an operator (the address playwright.config.ts puts in ADMIN_EMAILS) finds a cook,
 * impersonates them, sees the banner on every page and cannot open /admin from inside, then stops and is back on
 * /admin as themselves. A cook who is not an operator gets the 404 page.
 */
const operatorEmail = process.env.E2E_OPERATOR_EMAIL!;

test("an operator finds a cook, impersonates them with the banner on every page, and stops back to /admin", async ({
  page,
  browser,
}) => {
  // The cook, in a browser of their own, plays the demo user: the one the operator looks for.
  const cookContext = await browser.newContext();
  const cookPage = await cookContext.newPage();
  const cook = await signUp(cookPage, newUser("demo"));
  const notFound = await cookPage.goto("/admin");
  expect(notFound?.status()).toBe(404);
  await expect(cookPage.getByRole("heading", { name: "We could not find that page" })).toBeVisible();

  const operator = await signUp(page, {
    ...newUser("operator"),
    email: operatorEmail,
    name: `Operator ${uniqueTag()}`,
  });
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Users and teams" })).toBeVisible();
  await page.getByLabel("Email, name or team slug").fill(cook.email);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/admin\?q=/);
  await page.getByRole("list", { name: "Users" }).getByRole("link", { name: cook.email }).click();
  await expect(page.getByRole("heading", { name: cook.email })).toBeVisible();
  await expect(page.getByRole("list", { name: "Sessions" }).getByRole("listitem")).toHaveCount(1);

  await page.getByRole("button", { name: "Impersonate" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Impersonate" }).click();
  const banner = page.getByRole("region", { name: "Impersonation" });
  await expect(banner).toContainText(`You are impersonating ${cook.email}`);
  await expect(page.getByText(`Signed in as ${cook.email}`)).toBeVisible();

  // Every page carries the banner; /admin itself does not exist from inside an impersonation.
  await page.goto("/account");
  await expect(banner).toBeVisible();
  const inside = await page.goto("/admin");
  expect(inside?.status()).toBe(404);
  await expect(banner).toBeVisible();

  await banner.getByRole("button", { name: "Stop impersonating" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { name: "Users and teams" })).toBeVisible();
  await expect(banner).toHaveCount(0);

  // The operator's own account again, and the record of it on the cook's page.
  await page.getByLabel("Email, name or team slug").fill(cook.email);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("list", { name: "Users" }).getByRole("link", { name: cook.email }).click();
  const events = page.getByRole("list", { name: "Recent audit events" });
  await expect(events).toContainText("operator.impersonation_started");
  await expect(events).toContainText("operator.impersonation_stopped");
  await expect(events).toContainText(operator.email);
  await cookContext.close();
});
