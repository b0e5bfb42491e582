import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * Browser tests (`npm run test:e2e`): the system Chromium against a production
 * build (`next build && next start`) on the local defaults, with the dev tools
 * on so the flows can read magic links in the outbox at /dev/emails.
 */

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

// A fresh embedded database per run, never the developer's .data/pglite. Set once
// in the runner's environment, so the workers (which load this file again) agree.
process.env.E2E_RUN_DIR ??= path.join(os.tmpdir(), `recipe-box-e2e-${Date.now()}-${process.pid}`);
export const e2eRunDir = process.env.E2E_RUN_DIR;
process.env.E2E_AUTH_SECRET ??= randomBytes(32).toString("base64url");
// The operator of this run (e2e/admin.e2e.ts signs up with it): the only address in the server's ADMIN_EMAILS.
process.env.E2E_OPERATOR_EMAIL ??= `operator-${randomBytes(4).toString("hex")}@example.com`;
const e2eAuthSecret = process.env.E2E_AUTH_SECRET;

// The production build in .next. E2E_SKIP_BUILD=1 starts the existing one as it is
// (CI, right after its `npm run build` step; or when only the tests changed).
const startServer = `npm start -- -p ${port}`;
const command = process.env.E2E_SKIP_BUILD === "1" ? startServer : `npm run build && ${startServer}`;

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.e2e.ts",
  outputDir: "test-results",
  // One server with one embedded database: the tests share it (each signs up its own user).
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  // Generous: the first request to each route loads its code, and the database starts cold.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: {
    command,
    url: `${baseURL}/api/health`,
    reuseExistingServer: !process.env.CI,
    // The build takes a minute or two on two cores.
    timeout: 300_000,
    // Build errors and the server's warnings show in the test output.
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM lets `next start` exit cleanly and release the database lock.
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    env: {
      // Empty counts as unset (lib/core/env.ts) and keeps .env.local from filling these in.
      DATABASE_URL: "",
      RESEND_API_KEY: "",
      UPSTASH_REDIS_REST_URL: "",
      UPSTASH_REDIS_REST_TOKEN: "",
      TRIGGER_SECRET_KEY: "",
      // Error tracking and product analytics stay off: nothing leaves the machine.
      SENTRY_DSN: "",
      NEXT_PUBLIC_SENTRY_DSN: "",
      POSTHOG_KEY: "",
      // Billing runs on the simulator at /dev/stripe: no Stripe API calls. A production
      // server has no dev webhook secrets, so the simulators sign with these.
      STRIPE_SECRET_KEY: "",
      STRIPE_PRICE_ID: "",
      STRIPE_WEBHOOK_SECRET: "whsec_e2e_only",
      RESEND_WEBHOOK_SECRET: `whsec_${Buffer.from("e2e-only-resend-webhook-secret").toString("base64")}`,
      // A production start refuses to run without a secret; this one exists only for this run.
      BETTER_AUTH_SECRET: e2eAuthSecret,
      AUTH_RATE_LIMIT: "",
      CONTACT_RATE_LIMIT: "",
      CONTACT_RATE_WINDOW_SECONDS: "",
      PGLITE_DATA_DIR: path.join(e2eRunDir, "pglite"),
      APP_URL: baseURL,
      BETTER_AUTH_URL: baseURL,
      ENABLE_DEV_TOOLS: "1",
      // A production server has no default operator: this run's is named here (e2e/admin.e2e.ts).
      ADMIN_EMAILS: process.env.E2E_OPERATOR_EMAIL,
      // Outbound webhooks reach the dev tools' receiver on this machine (e2e/webhooks.e2e.ts).
      WEBHOOKS_ALLOW_PRIVATE_URLS: "1",
      SVIX_API_KEY: "",
      // Streams end after 8 s, as they do before Vercel's limit, so the browser tests see EventSource resume (e2e/realtime.e2e.ts).
      REALTIME_STREAM_MAX_SECONDS: "8",
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
    },
  },
});
