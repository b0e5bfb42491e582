import { expect, test } from "@playwright/test";
import { newRecipe, signUp, uniqueTag } from "./support";

/**
 * The public API from a team admin's side: make a key on the team page, copy it, call the API with
 * it (from the test, as other software would), revoke it, and see the next call refused.
 */
test("an owner makes an API key, copies it, the API accepts it, and after revoking it refuses it", async ({
  page,
  context,
  request,
  baseURL,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL! });
  await signUp(page);
  const teamPath = new URL(page.url()).pathname;

  await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  const name = `Sync ${uniqueTag()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("checkbox", { name: /recipes:write/ }).check();
  await page.getByRole("button", { name: "Create key" }).click();

  const reveal = page.getByRole("region", { name: "Your new API key" });
  await expect(reveal).toBeVisible();
  await reveal.getByRole("button", { name: "Copy" }).click();
  await expect(reveal.getByText("Copied to the clipboard.")).toBeVisible();
  const key = await page.evaluate(() => navigator.clipboard.readText());
  expect(key).toMatch(/^rb_[A-Za-z]{64}$/);
  await expect(
    page.getByRole("list", { name: "API keys" }).getByRole("listitem").filter({ hasText: name }),
  ).toContainText(key.slice(0, 9));

  const recipe = newRecipe("API soup");
  const created = await request.post("/api/v1/recipes", {
    headers: { Authorization: `Bearer ${key}` },
    data: { title: recipe.title, ingredients: recipe.ingredients },
  });
  expect(created.status()).toBe(201);
  expect(created.headers()["ratelimit-policy"]).toContain('"key"');
  const listed = await request.get("/api/v1/recipes", { headers: { Authorization: `Bearer ${key}` } });
  expect((await listed.json()).data.map((r: { title: string }) => r.title)).toContain(recipe.title);

  // The team page shows what the API created.
  await page.goto(teamPath);
  await expect(page.getByRole("heading", { name: recipe.title })).toBeVisible();

  await page.goto(`${teamPath}/api-keys`);
  const row = page.getByRole("list", { name: "API keys" }).getByRole("listitem").filter({ hasText: name });
  await expect(row).toContainText("last used");
  await row.getByRole("button", { name: /Revoke/ }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke", exact: true }).click();
  // The revoked key's row leaves the list (and its form with it).
  await expect(row).toHaveCount(0);

  const refused = await request.get("/api/v1/recipes", { headers: { Authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toBe("application/problem+json");
});

test("/docs/api renders the OpenAPI document without loading anything from elsewhere", async ({ page, baseURL }) => {
  const offSite: string[] = [];
  const errors: string[] = [];
  page.on("request", (req) => {
    if (!req.url().startsWith(baseURL!) && !req.url().startsWith("data:")) offSite.push(req.url());
  });
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: "Recipe Box API", level: 1 })).toBeVisible();
  // Scalar's rendering of the operations, from /api/v1/openapi.json.
  await expect(page.getByText("Create a recipe").first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("List the team's recipes").first()).toBeVisible();
  expect(offSite).toEqual([]);
  expect(errors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);

  await page.goto("/docs/api/problems#plan-limit-reached");
  await expect(page.locator("#plan-limit-reached")).toContainText("403");
});
