/** The production servers a benchmark measures: the project's (migrated and seeded) and the bare app's in bench/floor. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { run } from "./processes";
import type { BenchSetup } from "./setup";
import { base, floorDir, floorPort, next, port, root, webhookSecret } from "./settings";

/** The production server's environment for one database, migrated and seeded. */
export async function prepareServerEnv(
  databaseUrl: string | undefined,
  dataDir: string,
  extraEnv: Record<string, string>,
) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl ?? "",
    PGLITE_DATA_DIR: dataDir,
    APP_URL: base,
    BETTER_AUTH_URL: base,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    CONTACT_RATE_LIMIT: "100000000",
    CONTACT_GLOBAL_RATE_LIMIT: "100000000",
    API_RATE_LIMIT_PER_KEY: "100000000",
    API_RATE_LIMIT_PER_TEAM: "100000000",
    // A production start needs a real secret; this one exists only for the benchmark's servers.
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64"),
    NEXT_TELEMETRY_DISABLED: "1",
    ...extraEnv,
  };
  if (databaseUrl)
    await run(
      process.execPath,
      [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "scripts/migrate.ts"],
      env,
    );
  await run(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "scripts/seed.ts"],
    env,
  );
  return env;
}

/**
 * What the routes behind a sign-in or a key need (scripts/bench/setup.ts): the demo user's personal team on
 * Pro with an API key, and with `members`, a team of that many members. Run before the server starts.
 */
export async function prepareBenchData(env: NodeJS.ProcessEnv, dataDir: string, members?: number): Promise<BenchSetup> {
  const out = path.join(dataDir, "bench-setup.json");
  await run(
    process.execPath,
    [
      path.join(root, "node_modules/tsx/dist/cli.mjs"),
      "--conditions=react-server",
      "scripts/bench/setup.ts",
      out,
      ...(members ? [String(members)] : []),
    ],
    env,
  );
  return JSON.parse(readFileSync(out, "utf8")) as BenchSetup;
}

export function startServer(env: NodeJS.ProcessEnv, stdout: "ignore" | "pipe" = "ignore", nodeOptions: string[] = []) {
  return spawn(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    // NODE_OPTIONS, not arguments: they reach the process that serves, whichever `next start` runs it in.
    env: nodeOptions.length ? { ...env, NODE_OPTIONS: nodeOptions.join(" ") } : env,
    stdio: ["ignore", stdout, "inherit"],
  });
}

/** The bare app beside the project (bench/floor), on the next port, with nothing but Next's own defaults. */
export function startFloorServer(databaseUrl: string | undefined) {
  return spawn(process.execPath, [next, "start", "-p", String(floorPort), "-H", "127.0.0.1"], {
    cwd: floorDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      // Read only by the same-SQL routes.
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      STRIPE_WEBHOOK_SECRET: webhookSecret,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

export async function waitForServer(server: ChildProcess, url = base) {
  for (let i = 0; i < 120; i++) {
    if (server.exitCode !== null) throw new Error("the server exited during start-up");
    try {
      if ((await fetch(`${url}/api/live`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the server did not start within a minute");
}

export async function stopServer(server: ChildProcess) {
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
}

/** Signs in as the seeded demo user (`npm run db:seed`); returns the session cookie. */
export async function signIn(): Promise<string> {
  const response = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email: "demo@example.com", password: "demo-password" }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}
