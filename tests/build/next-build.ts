import { execFile, spawn } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

export const root = path.resolve(import.meta.dirname, "../..");
const next = path.join(root, "node_modules/next/dist/bin/next");

// `next build` into another folder adds that folder's types to tsconfig.json and next-env.d.ts: put them back afterwards.
const touchedByBuild = ["tsconfig.json", "next-env.d.ts"].map((file) => path.join(root, file));

/**
 * A production build of this checkout into its own folder (`distDir`, beside
 * a developer's .next), with `env` over the test's own. Returns the build's
 * output; `remove()` deletes the folder and restores the files the build touched.
 */
export async function buildInto(distDir: string, env: Record<string, string>) {
  const originals = await Promise.all(touchedByBuild.map((file) => readFile(file, "utf8").catch(() => null)));
  const remove = async () => {
    await rm(path.join(root, distDir), { recursive: true, force: true });
    await Promise.all(
      touchedByBuild.map((file, i) =>
        originals[i] === null ? rm(file, { force: true }) : writeFile(file, originals[i]!),
      ),
    );
  };
  await rm(path.join(root, distDir), { recursive: true, force: true });
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [next, "build"], {
    cwd: root,
    env: { ...process.env, ...env, NODE_ENV: "production", NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { output: `${stdout}\n${stderr}`, remove };
}

/** `next start` of a build from `buildInto`, on `port`; resolves once it answers. */
export async function startBuild(distDir: string, port: number, env: Record<string, string>) {
  const server = spawn(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, ...env, NODE_ENV: "production", NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout.on("data", (chunk) => (output += chunk));
  server.stderr.on("data", (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (server.exitCode !== null) throw new Error(`next start exited ${server.exitCode}:\n${output}`);
    const answered = await fetch(`${base}/api/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) break;
    if (attempt > 120) throw new Error(`next start did not answer in 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (server.exitCode !== null) return resolve();
      server.once("exit", () => resolve());
      server.kill("SIGTERM");
    });
  return { base, stop, output: () => output };
}
