import { expect, test } from "@playwright/test";
import {
  createRecipe,
  expectFieldError,
  expectSignedInAs,
  newUser,
  openEmailLink,
  newRecipe,
  outboxEmail,
  recipeRow,
  signUp,
  submitSignUp,
} from "./support";

test.describe("Accounts", () => {
  test("a visitor signs up, is told the password is too short, confirms the email and lands on the dashboard", async ({
    page,
  }) => {
    const user = newUser("signup");
    await page.goto("/sign-up");
    await page.getByLabel("Name", { exact: true }).fill(user.name);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Please correct the highlighted fields.");
    await expectFieldError(page.getByLabel("Password", { exact: true }), "Use at least 8 characters.");
    await expect(page).toHaveURL(/\/sign-up$/);
    // What was typed is kept, except the password.
    await expect(page.getByLabel("Email", { exact: true })).toHaveValue(user.email);

    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    const answer = page.getByRole("main").getByRole("status");
    await expect(answer).toContainText(`We sent an email to ${user.email}`);
    await expect(answer.getByRole("link", { name: "dev outbox" })).toHaveAttribute("href", "/dev/emails");
    // Not signed in yet: the account opens with the emailed link.
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);

    await openEmailLink(page, user.email, "Open the confirmation link");
    await expectSignedInAs(page, user);
  });

  test("signing up with a registered email looks the same; its owner is emailed instead", async ({ page }) => {
    const owner = await signUp(page, newUser("owner"));
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/$/);

    const newcomer = newUser("newcomer");
    await submitSignUp(page, newcomer);
    const answerForNew = await page.getByRole("main").getByRole("status").textContent();
    await submitSignUp(page, { ...newUser("intruder"), email: owner.email });
    const answerForRegistered = await page.getByRole("main").getByRole("status").textContent();
    expect(answerForRegistered).toBe(answerForNew!.replace(newcomer.email, owner.email));

    // The owner's email says someone tried, and leads to sign-in.
    await openEmailLink(page, owner.email, "Open the sign-in page");
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.goto("/dev/emails");
    await expect(outboxEmail(page, owner.email, "Open the sign-in page")).toContainText(
      "You already have a Recipe Box account",
    );
  });

  test("a cook who signed out signs in again with the magic link from the outbox", async ({ page }) => {
    const user = await signUp(page, newUser("magic"));

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/$/);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);

    await page.getByLabel("Email for the link", { exact: true }).fill(user.email);
    await page.getByRole("button", { name: "Email me a link" }).click();
    await expect(page.getByRole("main").getByRole("status")).toContainText(`sent a sign-in link to ${user.email}`);
    await expect(page.getByRole("main").getByRole("link", { name: "dev outbox" })).toHaveAttribute(
      "href",
      "/dev/emails",
    );

    // Without RESEND_API_KEY the email is kept in the dev outbox, newest first.
    await page.goto("/dev/emails");
    const magicLinkEmail = outboxEmail(page, user.email, "Open the sign-in link");
    await expect(magicLinkEmail).toContainText("Your Recipe Box sign-in link");
    await magicLinkEmail.getByRole("link", { name: "Open the sign-in link" }).click();

    await expectSignedInAs(page, user);
  });

  test("a cook who has not confirmed yet signs in, drafts, is asked to confirm before publishing, and then can", async ({
    page,
  }) => {
    const user = newUser("unconfirmed");
    await submitSignUp(page, user);
    await page.goto("/sign-in");
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expectSignedInAs(page, user);

    const banner = page.getByRole("region", { name: "Confirm your email address" });
    await expect(banner).toContainText(`We sent a link to ${user.email}`);
    const recipe = await createRecipe(page, newRecipe("Unconfirmed stew"));
    await recipeRow(page, recipe.title).getByRole("button", { name: "Publish" }).click();
    await expect(recipeRow(page, recipe.title).getByRole("alert")).toContainText(
      "Confirm your email address before publishing recipes",
    );

    await banner.getByRole("button", { name: "Resend the email" }).click();
    await expect(banner.getByRole("status")).toHaveText(`We sent a new confirmation link to ${user.email}.`);
    await openEmailLink(page, user.email, "Open the confirmation link");
    await expectSignedInAs(page, user);
    await expect(page.getByRole("region", { name: "Confirm your email address" })).toHaveCount(0);
    await recipeRow(page, recipe.title).getByRole("button", { name: "Publish" }).click();
    await expect(recipeRow(page, recipe.title).getByRole("status")).toHaveText(`Published “${recipe.title}”.`);
  });
});
