import { expect, test } from "@playwright/test";
import { newUser, signUp } from "./support";

const required = [
  "content-security-policy",
  "strict-transport-security",
  "x-content-type-options",
  "referrer-policy",
  "permissions-policy",
];

// A signed-in page asked without a session answers an HTTP redirect before any of the page streams: the
// proxy sends a visitor with no cookie to sign in, and the page's own check does the same, as a 307 and not a
// 200 with the redirect inside the stream, for a stale or forged cookie the proxy lets through (and on a host
// where the proxy does not run in front of the page's function).
test.describe("signed-in pages without a session", () => {
  for (const [path, next] of [
    ["/dashboard", "/dashboard"],
    ["/dashboard/recipes/new", "/dashboard/recipes/new"],
    ["/t/some-team", "/t/some-team"],
    ["/account", "/account"],
  ] as const) {
    test(`${path} answers 307 to sign-in, with no cookie and with a stale one`, async ({ request }) => {
      const stale = { cookie: "better-auth.session_token=stale-token.stale-signature" };
      for (const headers of [{}, stale] as Record<string, string>[]) {
        const response = await request.get(path, { headers, maxRedirects: 0 });
        expect(response.status(), JSON.stringify(headers)).toBe(307);
        expect(new URL(response.headers().location!, "http://x").pathname).toBe("/sign-in");
        expect(new URL(response.headers().location!, "http://x").searchParams.get("next")).toBe(next);
      }
    });
  }
});

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
    // The preview opens in a dialog (a portal, outside the list item).
    await expect(page.getByRole("dialog").frameLocator("iframe").getByText("Open your dashboard")).toBeVisible();
    expect(violations).toEqual([]);
  });
});
