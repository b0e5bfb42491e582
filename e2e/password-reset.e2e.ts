import { expect, test } from "@playwright/test";
import { expectSignedInAs, newUser, openEmailLink, signUp } from "./support";

test("a cook who forgot the password gets a link in the outbox, sets a new password and signs in with it", async ({
  page,
}) => {
  const user = await signUp(page, newUser("forgetful"));
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText(
    `If ${user.email} has a Recipe Box account, we sent it a link`,
  );

  await openEmailLink(page, user.email, "Open the reset link");
  await expect(page).toHaveURL(/\/reset-password\?token=/);
  const newPassword = `${user.password}-renewed`;
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByRole("button", { name: "Set new password" }).click();

  await expect(page).toHaveURL(/\/sign-in\?reset=done$/);
  await expect(page.getByRole("main").getByRole("status")).toContainText("Your password is changed");
  // The old password no longer opens the account.
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText(/invalid email or password/i);

  await page.getByLabel("Password", { exact: true }).fill(newPassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expectSignedInAs(page, user);

  // The emailed link worked once: opening it again lands on the "expired" answer.
  await openEmailLink(page, user.email, "Open the reset link");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("expired or was already used");
});
