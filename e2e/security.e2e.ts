import { expect, test } from "@playwright/test";
import { newUser, signUp } from "./support";

const required = [
  "content-security-policy",
  "strict-transport-security",
  "x-content-type-options",
  "referrer-policy",
  "permissions-policy",
];

test.describe("security headers", () => {
  for (const [method, path] of [
    ["GET", "/"],
    ["GET", "/contact"],
    ["GET", "/api/health"],
    ["POST", "/api/contact"],
    ["POST", "/api/webhooks/stripe"],
  ] as const) {
    test(`${method} ${path} carries them`, async ({ request }) => {
      const response = await request.fetch(path, { method, data: method === "POST" ? {} : undefined });
      const headers = response.headers();
      for (const name of required) expect(headers[name], name).toBeTruthy();
      expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(headers["x-content-type-options"]).toBe("nosniff");
    });
  }

  test("the CSP leaves the app working: pages hydrate and the email preview renders", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await signUp(page, newUser("csp"));
    await page.goto("/dev/emails");
    const welcome = page.getByRole("listitem").filter({ hasText: "Welcome to Recipe Box" }).first();
    await welcome.getByText("Show the email").click();
    await expect(welcome.frameLocator("iframe").getByText("Open your dashboard")).toBeVisible();
    expect(violations).toEqual([]);
  });
});
