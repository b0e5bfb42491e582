import { expect, test } from "@playwright/test";
import { openPage } from "./pages";
import { newUser, signUp } from "./support";

/**
 * The header's account links. The server renders every page with the signed-out links (so `/` stays one
 * cached page for everyone); the browser asks Better Auth who is signed in only when the signed-in hint
 * cookie says it may be, and swaps in the account's links. A signed-out visitor never waits for anything.
 */
test("a signed-out visitor sees Sign in at once, before any script, and the page asks nobody who is signed in", async ({
  page,
  browser,
}) => {
  const withoutScripts = await browser.newContext({ javaScriptEnabled: false });
  const plain = await withoutScripts.newPage();
  for (const path of ["/", "/contact", "/pricing"]) {
    await plain.goto(path);
    const nav = plain.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Sign in" }), path).toBeVisible();
    await expect(nav.getByRole("link", { name: "Sign up" }), path).toBeVisible();
  }
  await withoutScripts.close();

  const asked: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/auth/get-session") asked.push(request.url());
  });
  for (const path of ["/", "/contact", "/sign-in"]) await openPage(page, path);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  expect(asked).toEqual([]);
});

test("signed in, the header swaps in the account's links; signed out, it is back to Sign in without asking", async ({
  page,
}) => {
  await signUp(page, newUser("header"));
  await openPage(page, "/");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Account" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Sign in" })).toHaveCount(0);

  await nav.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(nav.getByRole("link", { name: "Sign in" })).toBeVisible();
  // The hint went with the session: the next pages ask nothing.
  expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain("recipe-box.signed-in");
  const asked: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/auth/get-session") asked.push(request.url());
  });
  await openPage(page, "/contact");
  expect(asked).toEqual([]);
});
