import { expect, test } from "@playwright/test";

test("the observability page throws a test error and names the request id to look for", async ({ page }) => {
  await page.goto("/dev/observability");
  // This run sets no SENTRY_DSN and no POSTHOG_KEY (playwright.config.ts): the page says so.
  await expect(page.getByText("Off (SENTRY_DSN unset): errors are in the server log only")).toBeVisible();
  await expect(page.getByText("Off (POSTHOG_KEY unset)", { exact: false })).toBeVisible();

  const answer = page.waitForResponse((response) => response.url().endsWith("/api/dev/test-error"));
  await page.getByRole("button", { name: "Throw a test error" }).click();
  const response = await answer;
  expect(response.status()).toBe(500);
  const requestId = response.headers()["x-request-id"];
  expect(requestId).toMatch(/^[\w-]{8,}$/);

  const status = page.getByRole("status").filter({ hasText: "The server answered" });
  await expect(status).toContainText("The server answered 500.");
  await expect(status.getByTestId("request-id")).toHaveText(requestId!);
  await expect(status).toContainText("Sentry is off, so it went to the server log only");
});
