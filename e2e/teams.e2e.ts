import { expect, test } from "@playwright/test";
import { fillSignUp, newUser, openEmailLink, outboxEmail, signUp, uniqueTag } from "./support";

/**
 * A team from both sides: the owner makes it and invites a cook by email; the cook opens it from
 * the outbox in their own browser, signed out, signs up from it and accepts; a recipe the cook
 * writes, then publishes, appears on the owner's open page without a reload; the owner removes
 * the cook, and the cook's next action is refused.
 */
test("an owner invites a cook, who signs up from the invitation, joins, and writes and publishes a recipe the owner sees live, then is removed", async ({
  page,
  browser,
}) => {
  await signUp(page, newUser("owner"));
  const teamName = `Corner Bistro ${uniqueTag()}`;
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill(teamName);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/t\/[a-z0-9-]+\/members$/);
  const teamPath = new URL(page.url()).pathname.replace(/\/members$/, "");

  const cookUser = newUser("cook");
  await page.getByLabel("Email address").fill(cookUser.email);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${cookUser.email}`)).toBeVisible();

  // The cook, in a browser of their own and signed out, opens the invitation from the outbox: the page says
  // who invited them and sends them to sign up, and the confirmation link brings them back to it.
  const cookContext = await browser.newContext();
  const cook = await cookContext.newPage();
  await cook.goto("/dev/emails");
  await outboxEmail(cook, cookUser.email, "Open the invitation")
    .getByRole("link", { name: "Open the invitation" })
    .click();
  await expect(cook.getByRole("heading", { name: `Join ${teamName}` })).toBeVisible();
  const invitationPath = new URL(cook.url()).pathname;
  await cook.getByRole("link", { name: "sign up", exact: true }).click();
  await expect(cook).toHaveURL(/\/sign-up\?next=%2Finvitations%2F/);
  await fillSignUp(cook, cookUser);
  await openEmailLink(cook, cookUser.email, "Open the confirmation link");
  await expect(cook).toHaveURL(new RegExp(`${invitationPath}$`));
  await cook.getByRole("button", { name: "Accept and join" }).click();
  await expect(cook).toHaveURL(new RegExp(`${teamPath}$`));

  // The owner's page is open on the team's recipes while the cook writes one.
  await page.goto(teamPath);
  await expect(page.getByRole("heading", { name: `${teamName}'s recipes` })).toBeVisible();
  // The page's event stream is open before the change (the live badge subscribes on load).
  await page.waitForLoadState("networkidle").catch(() => {});
  const title = `Bistro soup ${uniqueTag()}`;
  await cook.goto(`${teamPath}/recipes/new`);
  await cook.getByLabel("Title", { exact: true }).fill(title);
  await cook.getByRole("button", { name: "Create recipe" }).click();
  await expect(cook).toHaveURL(new RegExp(`${teamPath}$`));
  await expect(page.getByRole("list", { name: "Recipes" }).getByRole("heading", { name: title })).toBeVisible();
  const ownersRow = page.getByRole("list", { name: "Recipes" }).getByRole("listitem").filter({ hasText: title });
  await expect(ownersRow).toContainText(`by ${cookUser.name}`);
  await expect(ownersRow).toContainText("Draft");
  // The cook publishes it: the owner's open page shows it published, again without a reload.
  await cook
    .getByRole("list", { name: "Recipes" })
    .getByRole("listitem")
    .filter({ hasText: title })
    .getByRole("button", { name: "Publish" })
    .click();
  await expect(ownersRow).toContainText("Published");

  // The cook has the form open when the owner removes them: its next submission is refused.
  await cook.goto(`${teamPath}/recipes/new`);
  await cook.getByLabel("Title", { exact: true }).fill(`Too late ${uniqueTag()}`);
  await page.goto(`${teamPath}/members`);
  const cookRow = page.getByRole("list", { name: "Members" }).getByRole("listitem").filter({ hasText: cookUser.email });
  await cookRow.getByRole("button", { name: /^Remove/ }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Remove", exact: true }).click();
  await expect(cookRow).toHaveCount(0);

  await cook.getByRole("button", { name: "Create recipe" }).click();
  await expect(cook.getByRole("alert").filter({ hasText: "not a member" })).toBeVisible();
  await cook.goto(teamPath);
  await expect(cook.getByRole("heading", { name: "We could not find that page" })).toBeVisible();
  await cookContext.close();
});
