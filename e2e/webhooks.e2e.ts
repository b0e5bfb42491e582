import { expect, test } from "@playwright/test";
import { fillRecipeForm, newRecipe, signUp } from "./support";

/**
 * Outbound webhooks end to end, with no account anywhere: a team's owner adds an endpoint pointing
 * at the dev tools' receiver (/dev/webhook-receiver), publishes a recipe, and watches the signed
 * delivery arrive and verify there, and succeed on the endpoint's deliveries page.
 */
test("add an endpoint pointing at /dev/webhook-receiver, publish a recipe, see it arrive verified", async ({
  page,
  baseURL,
}) => {
  await signUp(page);
  const teamPath = new URL(page.url()).pathname;

  await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();
  await page.getByLabel("URL", { exact: true }).fill(`${baseURL}/dev/webhook-receiver/inbox`);
  await page.getByLabel("Description", { exact: true }).fill("The dev receiver");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByRole("status")).toContainText("Endpoint added");
  await expect(page.getByRole("region", { name: "Signing secret" })).toContainText("whsec_");
  const endpointLink = page.getByRole("list", { name: "Endpoints" }).getByRole("link", { name: /webhook-receiver/ });
  await expect(endpointLink).toBeVisible();

  const recipe = newRecipe("Hooked soup");
  await page.goto(`${teamPath}/recipes/new`);
  await fillRecipeForm(page, recipe);
  await page.getByRole("button", { name: "Create recipe" }).click();
  await page.waitForURL(new RegExp(`${teamPath}$`));
  const row = page.getByRole("list", { name: "Recipes" }).getByRole("listitem").filter({ hasText: recipe.title });
  await row.getByRole("button", { name: "Publish" }).click();
  await expect(row).toContainText("Published");

  await page.goto("/dev/webhook-receiver");
  const arrival = page
    .getByRole("list", { name: "Arrivals" })
    .getByRole("listitem")
    .filter({ hasText: "recipe.published" })
    .filter({ hasText: recipe.title });
  // The receiver page refreshes itself every 2 s; the delivery runs after the publish's response.
  await expect(arrival).toBeVisible({ timeout: 20_000 });
  await expect(arrival).toContainText("Signature verified");
  await expect(arrival).toContainText("answered 200");

  await page.goto(teamPath + "/webhooks");
  await endpointLink.click();
  const delivery = page
    .getByRole("list", { name: "Deliveries" })
    .getByRole("listitem")
    .filter({ hasText: "recipe.published" });
  await expect(delivery).toContainText("succeeded");
  await expect(delivery).toContainText("HTTP 200");
});
