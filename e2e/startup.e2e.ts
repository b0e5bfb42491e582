import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";

test("a bad environment variable stops the production server at start-up, naming the variable", async () => {
  const next = path.join(process.cwd(), "node_modules/next/dist/bin/next");
  const server = spawn(process.execPath, [next, "start", "-p", "3199"], {
    env: { ...process.env, CRON_SECRET: "short", DATABASE_URL: "mysql://localhost/app", NEXT_TELEMETRY_DISABLED: "1" },
  });
  let output = "";
  server.stdout.on("data", (chunk) => (output += chunk));
  server.stderr.on("data", (chunk) => (output += chunk));
  const exitCode = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      server.kill("SIGKILL");
      resolve(null);
    }, 30_000);
    server.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  expect(exitCode).toBe(1);
  expect(output).toContain("Invalid environment variables:");
  expect(output).toContain("DATABASE_URL must be a postgres:// or postgresql:// URL");
  expect(output).toContain("CRON_SECRET must be at least 16 characters");
});

test("a production start without BETTER_AUTH_SECRET stops, naming it, instead of signing sessions with the dev secret", async () => {
  const next = path.join(process.cwd(), "node_modules/next/dist/bin/next");
  // No hosting platform variables: a self-hosted or Docker `next start`.
  const server = spawn(process.execPath, [next, "start", "-p", "3198"], {
    env: {
      ...process.env,
      BETTER_AUTH_SECRET: "",
      AUTH_SECRET: "",
      VERCEL: "",
      RENDER: "",
      DATABASE_URL: "",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  let output = "";
  server.stdout.on("data", (chunk) => (output += chunk));
  server.stderr.on("data", (chunk) => (output += chunk));
  const exitCode = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      server.kill("SIGKILL");
      resolve(null);
    }, 30_000);
    server.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  expect(exitCode).toBe(1);
  expect(output).toContain("BETTER_AUTH_SECRET is required in production");
});
