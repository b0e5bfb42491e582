import { expect, test, type Page } from "@playwright/test";
import { createRecipe, newRecipe, outboxEmail, signUp, type TestUser, TEAM_HOME } from "./support";

async function signIn(page: Page, user: TestUser) {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

const sessions = (page: Page) => page.getByRole("list", { name: "Your sessions" }).getByRole("listitem");

test.describe("Account", () => {
  test("a cook renames themself and signs out their other device, which is signed out at once", async ({
    page,
    browser,
  }) => {
    const user = await signUp(page);
    await page.goto("/account");
    await page.getByLabel("Name", { exact: true }).fill("");
    await page.getByRole("button", { name: "Save name" }).click();
    await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(/Tell us your name/);
    await page.getByLabel("Name", { exact: true }).fill("Renamed Cook");
    await page.getByRole("button", { name: "Save name" }).click();
    await expect(page.getByRole("status")).toHaveText("Your name is saved.");
    await page.reload();
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Renamed Cook");

    const laptop = await browser.newContext();
    const other = await laptop.newPage();
    await signIn(other, user);
    await expect(other).toHaveURL(TEAM_HOME);

    await page.reload();
    await expect(sessions(page)).toHaveCount(2);
    const otherRow = sessions(page).filter({ hasNotText: "this device" });
    // No trusted proxy says where requests come from (TRUST_PROXY unset): the address is unknown, not zeros.
    await expect(otherRow).toContainText("IP address: unknown");
    await otherRow.getByRole("button", { name: /Sign out/ }).click();
    await expect(sessions(page)).toHaveCount(1);
    await expect(sessions(page)).toContainText("this device");

    // The other device's very next request is signed out.
    await other.goto("/dashboard");
    await expect(other).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);
    await laptop.close();
  });

  test("a cook changes the password and stays on /account, signed in, told the other sessions ended", async ({
    page,
    browser,
  }) => {
    const user = await signUp(page);
    const laptop = await browser.newContext();
    const other = await laptop.newPage();
    await signIn(other, user);
    await expect(other).toHaveURL(TEAM_HOME);

    await page.goto("/account");
    await page.getByLabel("Current password").fill(user.password);
    await page.getByLabel("New password").fill(`${user.password}-new`);
    await page.getByRole("button", { name: "Change password" }).click();

    await expect(page.getByRole("status")).toHaveText("Password changed; your other sessions were signed out.");
    await expect(page).toHaveURL(/\/account$/);
    await page.reload();
    await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
    await expect(sessions(page)).toHaveCount(1);

    await other.goto("/dashboard");
    await expect(other).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);
    await laptop.close();
  });

  test("a cook deletes their account: signed out, gone for good, and a goodbye email", async ({ page }) => {
    const user = await signUp(page);
    await createRecipe(page, newRecipe("Farewell soup"));

    await page.goto("/account");
    await expect(page.getByRole("link", { name: "Download my data" })).toHaveAttribute("href", "/api/account/export");
    await page.getByLabel("Password to confirm").fill("not my password");
    await page.getByRole("button", { name: "Delete my account" }).click();
    const question = page.getByRole("alertdialog", { name: "Delete your account and everything in it?" });
    await expect(question).toContainText("cannot be undone");
    await question.getByRole("button", { name: "Delete my account" }).click();
    await expect(page.getByLabel("Password to confirm")).toHaveAccessibleDescription(/not your password/);

    // Cancel keeps everything.
    await page.getByRole("button", { name: "Delete my account" }).click();
    await question.getByRole("button", { name: "Cancel" }).click();
    await expect(question).toHaveCount(0);

    await page.getByLabel("Password to confirm").fill(user.password);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await question.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/\/goodbye$/);
    await expect(page.getByRole("heading", { name: "Your account is deleted" })).toBeVisible();

    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in/);
    await signIn(page, user);
    await expect(page.getByText(/invalid email or password/i)).toBeVisible();

    await page.goto("/dev/emails");
    await expect(
      page
        .getByRole("list", { name: "Emails" })
        .getByRole("listitem")
        .filter({ hasText: user.email })
        .filter({ hasText: "Your Recipe Box account is deleted" }),
    ).toHaveCount(1);
    // Every earlier email to the address went with the account.
    await expect(outboxEmail(page, user.email, "Open the confirmation link")).toHaveCount(0);
  });
});
