import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";

test("a bad environment variable stops `npm start` before anything prints Ready, naming the variable", async () => {
  const { exitCode, output } = await startUntilExit(["npm", "start", "--", "-p", "3199"], {
    CRON_SECRET: "short",
    DATABASE_URL: "mysql://localhost/app",
  });
  expect(exitCode).toBe(1);
  expect(output).toContain("Invalid environment variables:");
  expect(output).toContain("DATABASE_URL must be a postgres:// or postgresql:// URL");
  expect(output).toContain("CRON_SECRET must be at least 16 characters");
  expect(output).not.toContain("Ready");
});

test("`npm run dev` checks the environment before anything prints Ready, too", async () => {
  const { exitCode, output } = await startUntilExit(["npm", "run", "dev", "--", "-p", "3196"], {
    CRON_SECRET: "short",
  });
  expect(exitCode).toBe(1);
  expect(output).toContain("CRON_SECRET must be at least 16 characters");
  expect(output).not.toContain("Ready");
});

test("a server started without the npm script (as on a platform) stops at boot too", async () => {
  const { exitCode, output } = await startUntilExit(nextStart(3197), { CRON_SECRET: "short" });
  expect(exitCode).toBe(1);
  expect(output).toContain("CRON_SECRET must be at least 16 characters");
});

test("a production start without BETTER_AUTH_SECRET stops, naming it, instead of signing sessions with the dev secret", async () => {
  // No hosting platform variables: a self-hosted or Docker `next start`.
  const { exitCode, output } = await startUntilExit(nextStart(3198), {
    BETTER_AUTH_SECRET: "",
    AUTH_SECRET: "",
    VERCEL: "",
    RENDER: "",
    DATABASE_URL: "",
  });
  expect(exitCode).toBe(1);
  expect(output).toContain("BETTER_AUTH_SECRET is required in production");
});

/** `next start` on `port`, as a command line. */
function nextStart(port: number) {
  return [process.execPath, path.join(process.cwd(), "node_modules/next/dist/bin/next"), "start", "-p", String(port)];
}

/** Runs `command` with `env` over this environment and waits (at most 30 s) for it to exit, keeping its output. */
async function startUntilExit([command, ...args]: string[], env: Record<string, string>) {
  const server = spawn(command!, args, {
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
