import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";

test("a bad environment variable stops the production server at start-up, naming the variable", async () => {
  const { exitCode, output } = await startUntilExit(3199, {
    CRON_SECRET: "short",
    DATABASE_URL: "mysql://localhost/app",
  });
  expect(exitCode).toBe(1);
  expect(output).toContain("Invalid environment variables:");
  expect(output).toContain("DATABASE_URL must be a postgres:// or postgresql:// URL");
  expect(output).toContain("CRON_SECRET must be at least 16 characters");
});

test("a production start without BETTER_AUTH_SECRET stops, naming it, instead of signing sessions with the dev secret", async () => {
  // No hosting platform variables: a self-hosted or Docker `next start`.
  const { exitCode, output } = await startUntilExit(3198, {
    BETTER_AUTH_SECRET: "",
    AUTH_SECRET: "",
    VERCEL: "",
    RENDER: "",
    DATABASE_URL: "",
  });
  expect(exitCode).toBe(1);
  expect(output).toContain("BETTER_AUTH_SECRET is required in production");
});

/** Starts `next start` with `env` over this environment and waits (at most 30 s) for it to exit, keeping its output. */
async function startUntilExit(port: number, env: Record<string, string>) {
  const next = path.join(process.cwd(), "node_modules/next/dist/bin/next");
  const server = spawn(process.execPath, [next, "start", "-p", String(port)], {
    env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: "1" },
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
  return { exitCode, output };
}
