import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { createRecipe, fillRecipeForm, newRecipe, recipeRow, signUp, TEAM_HOME } from "./support";

/**
 * Live updates through a production server (`next start`): the dashboard
 * follows what happens in another browser or tab with no reload, and the
 * event stream reaches the client unbuffered and uncompressed.
 */

const isEventStream = (url: string) => new URL(url).pathname === "/api/events";

/** Opens /dashboard and waits until its event stream is open, so nothing that happens next can be missed. */
async function openLiveDashboard(page: Page) {
  const streamOpen = page.waitForResponse((response) => isEventStream(response.url()) && response.status() === 200);
  await page.goto("/dashboard");
  await streamOpen;
  // Survives a client-side refresh, not a reload: proves the page changed in place.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
}

async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
}

async function editTitle(page: Page, from: string, to: string) {
  await page.goto("/dashboard");
  await recipeRow(page, from)
    .getByRole("link", { name: `Edit ${from}` })
    .click();
  await page.getByLabel("Title", { exact: true }).fill(to);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(TEAM_HOME);
  await expect(recipeRow(page, to)).toBeVisible();
}

test.describe("real-time", () => {
  test("the dashboard turns Pro, with a toast, when a checkout completes in another browser", async ({
    page,
    browser,
    baseURL,
  }) => {
    await signUp(page);
    await openLiveDashboard(page);
    const badge = page.getByTestId("plan-badge");
    await expect(badge).toHaveText("Free");

    // The same account in another browser context (another device) completes a checkout through the Stripe simulator.
    const elsewhere = await browser.newContext({ baseURL });
    await elsewhere.addCookies(await page.context().cookies());
    const checkout = await elsewhere.newPage();
    await checkout.goto("/dev/stripe");
    await checkout.getByRole("button", { name: "Complete a checkout (→ Pro)" }).click();
    await expect(checkout.getByRole("status").filter({ hasText: /./ })).toBeVisible();

    // The webhook is processed after its response; the dashboard follows without being touched.
    await expect(badge).toHaveText("Pro", { timeout: 15_000 });
    await expect(page.getByRole("region", { name: /Notifications/ })).toContainText("You're on the Pro plan now.");
    // The server-rendered limits refresh too.
    await expect(page.getByText(/Pro: unlimited recipes/)).toBeVisible();
    await expectNotReloaded(page);
    await elsewhere.close();
  });

  test("a recipe edited in another tab updates the dashboard", async ({ page }) => {
    await signUp(page);
    const recipe = await createRecipe(page, newRecipe("Stew"));
    await openLiveDashboard(page);

    const otherTab = await page.context().newPage();
    const renamed = newRecipe("Bean stew").title;
    await editTitle(otherTab, recipe.title, renamed);

    await expect(recipeRow(page, renamed)).toBeVisible();
    await expect(recipeRow(page, recipe.title)).toHaveCount(0);
    await expectNotReloaded(page);
  });

  test("a stream that reaches its time limit resumes from Last-Event-ID: an edit made while it was away still arrives", async ({
    page,
  }) => {
    // playwright.config.ts runs the server with REALTIME_STREAM_MAX_SECONDS=8, as Vercel's limit would at 280 s.
    test.slow();
    await signUp(page);
    const recipe = await createRecipe(page, newRecipe("Pie"));

    await openLiveDashboard(page);

    // From now on every request for the stream is this page's reconnect: hold it until the edit has been
    // committed. A stream opened without Last-Event-ID starts after the newest event, so the edit can only
    // arrive through the replay after the id the ended stream carried. (Chromium sends that header, but
    // Playwright's interception does not show it, so the outcome is what this test checks.)
    let releaseReconnect!: () => void;
    const editCommitted = new Promise<void>((resolve) => (releaseReconnect = resolve));
    const reconnecting = new Promise<void>((resolve) => {
      void page.route(
        (url) => isEventStream(url.toString()),
        async (route) => {
          resolve();
          await editCommitted;
          await route.continue();
        },
      );
    });
    await reconnecting;

    const renamed = newRecipe("Apple pie").title;
    await editTitle(await page.context().newPage(), recipe.title, renamed);
    releaseReconnect();

    await expect(recipeRow(page, renamed)).toBeVisible();
    await expectNotReloaded(page);
  });

  test("the stream leaves `next start` unbuffered and uncompressed: an event arrives while it is open", async ({
    page,
    baseURL,
  }) => {
    await signUp(page);
    const cookie = (await page.context().cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");
    // The form is ready before the stream opens, so the event follows the opening within a second or two.
    const recipe = newRecipe("Bread");
    await page.goto("/dashboard/recipes/new");
    await fillRecipeForm(page, recipe);

    // A raw HTTP client sees the bytes as a proxy would: no transparent decompression.
    const stream = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get(`${baseURL}/api/events`, { headers: { cookie, "accept-encoding": "gzip, deflate, br" } }, resolve)
        .on("error", reject),
    );
    let received = "";
    let ended = false;
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (received += chunk));
    stream.on("end", () => (ended = true));
    try {
      expect(stream.statusCode).toBe(200);
      expect(stream.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
      expect(stream.headers["cache-control"]).toBe("no-cache, no-transform");
      expect(stream.headers["x-accel-buffering"]).toBe("no");
      expect(stream.headers["content-encoding"]).toBeUndefined();
      await expect.poll(() => received).toContain("event: ready\n");
      // Plain text from the first byte: not gzip (1f 8b), and sent before anything else happened.
      expect(received.startsWith("retry: ")).toBe(true);

      await page.getByRole("button", { name: "Create recipe" }).click();
      await expect(page).toHaveURL(TEAM_HOME);
      await expect
        .poll(() => received, { timeout: 5_000 })
        .toMatch(/event: recipe\.changed\ndata: .*"change":"created"/);
      // It came while the stream stayed open, not flushed with its end.
      await page.waitForTimeout(500);
      expect(ended).toBe(false);
    } finally {
      stream.destroy();
    }
  });
});
