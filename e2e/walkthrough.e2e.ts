import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect as baseExpect, test } from "@playwright/test";
import { expectFieldError, fillRecipeForm, publishedRecipe, recipeRow, TEAM_HOME, uniqueTag } from "./support";

/**
 * The README's "first five minutes", literally, as a new user meets them: a
 * fresh clone of this repository's committed HEAD, `.env.example` copied to
 * `.env.local` as it is, `npm run db:seed`, then `npm run dev` (the dev server,
 * not the production build the other browser tests use) on the README's port.
 * Only `npm install` is skipped: the clone gets this checkout's node_modules
 * as hard links. Nothing from this test run's environment reaches the clone's
 * commands but PATH and HOME, as on a new machine.
 */
// `next dev` compiles each page and action on first use: minutes on two busy cores, not the suite's 10 s.
const expect = baseExpect.configure({ timeout: 3 * 60_000 });

const port = Number(process.env.E2E_WALKTHROUGH_PORT || 3000);
const baseURL = `http://localhost:${port}`;
const demo = { email: "demo@example.com", password: "demo-password" };

let workdir: string;
let app: string;
let server: ChildProcess | undefined;
let serverOutput = "";

// A fresh machine's environment: no DATABASE_URL, S3_*, APP_URL, secrets or test settings from this run. On a
// port other than the README's 3000 (`npm run dev -- -p <port>`), links and Better Auth's origin follow the port.
const freshEnv = {
  PATH: process.env.PATH!,
  HOME: process.env.HOME ?? os.homedir(),
  NEXT_TELEMETRY_DISABLED: "1",
} as unknown as NodeJS.ProcessEnv;

function run(command: string, args: string[]) {
  return execFileSync(command, args, { cwd: app, env: freshEnv, encoding: "utf8", stdio: "pipe" });
}

test.describe.configure({ mode: "serial", timeout: 15 * 60_000 });

test.beforeAll(async () => {
  test.setTimeout(5 * 60_000);
  workdir = mkdtempSync(path.join(os.tmpdir(), "recipe-box-walkthrough-"));
  app = path.join(workdir, "recipe-box");
  const repository = execFileSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8" }).trim();
  execFileSync("git", ["clone", "--quiet", repository, app]);
  execFileSync("cp", ["-al", path.join(repository, "node_modules"), path.join(app, "node_modules")]);
  copyFileSync(path.join(app, ".env.example"), path.join(app, ".env.local"));

  expect(run("npm", ["run", "db:seed"])).toContain("demo@example.com");

  const dev = spawn("npm", ["run", "dev", "--", "-p", String(port)], { cwd: app, env: freshEnv, detached: true });
  server = dev;
  dev.stdout.on("data", (chunk) => (serverOutput += chunk));
  dev.stderr.on("data", (chunk) => (serverOutput += chunk));
  await expect
    .poll(
      async () => {
        if (dev.exitCode !== null) throw new Error(`npm run dev exited:\n${serverOutput}`);
        return fetch(`${baseURL}/api/health`)
          .then((response) => response.status)
          .catch(() => 0);
      },
      { timeout: 4 * 60_000, intervals: [1_000] },
    )
    .toBe(200);
});

// A failure comes with what `npm run dev` printed: the dev server's log is the first thing to read.
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus)
    await testInfo.attach("npm run dev output", { body: serverOutput, contentType: "text/plain" });
});

test.afterAll(async () => {
  if (server?.pid) {
    // The whole group: npm, next dev and its worker.
    process.kill(-server.pid, "SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

test("the README's walk-through, step by step, on a fresh clone with a copied .env.local", async ({ page }) => {
  // `next dev` compiles each page on its first visit: give navigations and assertions room for it.
  page.setDefaultNavigationTimeout(3 * 60_000);
  page.setDefaultTimeout(3 * 60_000);
  const title = `Walkthrough stew ${uniqueTag()}`;

  await test.step("1. the landing page lists the seed's published recipes", async () => {
    await page.goto(`${baseURL}/`);
    await expect(publishedRecipe(page, "Weeknight tomato soup")).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  await test.step("2. sign in as the demo user", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("Email", { exact: true }).fill(demo.email);
    await page.getByLabel("Password", { exact: true }).fill(demo.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(TEAM_HOME);
    await expect(page.getByText(`Signed in as ${demo.email}`)).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" })).toBeVisible();
  });

  await test.step("3. new recipe: an empty title shows the field error, then it saves", async () => {
    await page.getByRole("link", { name: "New recipe" }).click();
    await page.getByRole("button", { name: "Create recipe" }).click();
    // The first call of a Server Action compiles it: wait for the answer with this file's patience.
    await expectFieldError(page.getByLabel("Title", { exact: true }), /title/i, { timeout: 3 * 60_000 });
    await fillRecipeForm(page, { title, description: "From the walk-through.", ingredients: ["1 pot"] });
    await page.getByRole("button", { name: "Create recipe" }).click();
    await expect(page).toHaveURL(TEAM_HOME);
    await expect(recipeRow(page, title)).toBeVisible();
  });

  await test.step("4. upgrade: no Stripe keys, so through the simulator, and the page follows by itself", async () => {
    await page.goto(`${baseURL}/pricing`);
    // The command to forward real Stripe events names the port this server runs on.
    await expect(page.getByText("stripe listen --forward-to")).toHaveText(
      `stripe listen --forward-to localhost:${port}/api/webhooks/stripe`,
    );
    await page.getByRole("link", { name: "Stripe simulator" }).click();
    await expect(page).toHaveURL(`${baseURL}/dev/stripe`);
    await expect(page.getByText("Current plan: Free")).toBeVisible();
    await page.getByRole("button", { name: "Complete a checkout (→ Pro)" }).click();
    // No reload: the page refreshes itself when the plan changes.
    await expect(page.getByText("Current plan: Pro")).toBeVisible();
  });

  await test.step("5. publish the recipe and see it on /", async () => {
    await page.goto(`${baseURL}/dashboard`);
    await recipeRow(page, title).getByRole("button", { name: "Publish" }).click();
    await expect(recipeRow(page, title).getByRole("button", { name: "Unpublish" })).toBeVisible();
    await page.goto(`${baseURL}/`);
    await expect(publishedRecipe(page, title)).toBeVisible();
  });

  const subject = `Walkthrough ${uniqueTag()}`;
  await test.step("6. send the contact form", async () => {
    await page.goto(`${baseURL}/contact`);
    await page.getByLabel("Your name", { exact: true }).fill("Demo Cook");
    await page.getByLabel("Your email", { exact: true }).fill("reader@example.com");
    await page.getByLabel("Subject", { exact: true }).fill(subject);
    await page.getByLabel("Message", { exact: true }).fill("Loved the tomato soup, thank you.");
    await page.getByRole("button", { name: "Send message" }).click();
    await expect(page.getByRole("main").getByRole("status")).toContainText("Thank you!");
  });

  await test.step("7. simulate a bounce of the notification and watch the suppression list", async () => {
    await page.goto(`${baseURL}/dev/emails`);
    const email = page
      .getByRole("list", { name: "Emails" })
      .getByRole("listitem")
      .filter({ hasText: `Contact form: ${subject}` });
    await email.getByRole("button", { name: "Simulate a Resend event" }).click();
    await page.getByRole("menuitem", { name: "Simulate bounce" }).click();
    // No reload: the outbox refreshes itself when the email's status changes.
    await expect(page.getByRole("table", { name: "Suppressed addresses" })).toContainText("owner@example.com");
  });

  await test.step("8. the webhook inbox, at 390 px wide, with a payload open", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseURL}/dev/webhooks`);
    const checkout = page
      .getByRole("list", { name: "Webhook events" })
      .getByRole("listitem")
      .filter({ hasText: "checkout.session.completed" })
      .first();
    await checkout.getByText("Payload").click();
    await expect(checkout.locator("pre")).toBeVisible();
    await expect(checkout.getByRole("button", { name: /Replay/ })).toBeInViewport();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  await test.step("the app's own 404 page, and a favicon", async () => {
    await page.goto(`${baseURL}/no-such-page`);
    await expect(page.getByRole("heading", { name: "We could not find that page" })).toBeVisible();
    expect((await page.request.get(`${baseURL}/favicon.ico`)).status()).toBe(200);
  });
});
