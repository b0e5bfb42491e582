import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Builds the app with a canary value in every secret and proves that none of
 * them reaches the browser: no file under .next/static (the client bundles)
 * contains one. Runs a full `next build` into its own folder, so it is its own
 * suite: `npm run test:build`.
 */
const root = path.resolve(import.meta.dirname, "../..");
const distDir = ".next-canary";
const tag = randomBytes(6).toString("hex");

const canaries: Record<string, string> = {
  DATABASE_URL: `postgres://canary:pw${tag}db@127.0.0.1:1/canary`,
  BETTER_AUTH_SECRET: `authsecret${tag}`.padEnd(40, "x"),
  STRIPE_SECRET_KEY: `sk_test_canary${tag}`,
  STRIPE_WEBHOOK_SECRET: `whsec_canary${tag}`,
  STRIPE_PRICE_ID: `price_canary${tag}`,
  RESEND_API_KEY: `re_canary${tag}`,
  RESEND_WEBHOOK_SECRET: `whsec_${Buffer.from(`resendsecret${tag}`).toString("base64")}`,
  UPSTASH_REDIS_REST_URL: `https://canary${tag}.upstash.io`,
  UPSTASH_REDIS_REST_TOKEN: `upstashtoken${tag}`,
  TRIGGER_SECRET_KEY: `tr_dev_canary${tag}`,
  CRON_SECRET: `cronsecret${tag}`.padEnd(24, "x"),
  AI_MODEL: "anthropic:claude-sonnet-4-5",
  ANTHROPIC_API_KEY: `sk-ant-canary${tag}`,
  OPENAI_API_KEY: `sk-openai-canary${tag}`,
};

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

let clientFiles: { file: string; text: string }[] = [];

// `next build` into another folder adds that folder's types to tsconfig.json and next-env.d.ts: put them back afterwards.
const touchedByBuild = ["tsconfig.json", "next-env.d.ts"].map((file) => path.join(root, file));
let originals: (string | null)[] = [];

beforeAll(async () => {
  originals = await Promise.all(touchedByBuild.map((file) => readFile(file, "utf8").catch(() => null)));
  await rm(path.join(root, distDir), { recursive: true, force: true });
  await promisify(execFile)(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    env: { ...process.env, ...canaries, NODE_ENV: "production", NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = await filesUnder(path.join(root, distDir, "static"));
  clientFiles = await Promise.all(files.map(async (file) => ({ file, text: await readFile(file, "utf8") })));
}, 600_000);

afterAll(async () => {
  await rm(path.join(root, distDir), { recursive: true, force: true });
  await Promise.all(
    touchedByBuild.map((file, i) =>
      originals[i] === null ? rm(file, { force: true }) : writeFile(file, originals[i]!),
    ),
  );
});

describe("secrets stay on the server", () => {
  it("the scan reads the real client bundles (it finds text the browser does get)", () => {
    expect(clientFiles.filter(({ file }) => file.endsWith(".js")).length).toBeGreaterThan(5);
    expect(clientFiles.some(({ text }) => text.includes("Email me a link"))).toBe(true);
  });

  it.each(Object.keys(canaries).filter((name) => name !== "AI_MODEL"))("%s appears in no client file", (name) => {
    const secret = canaries[name]!;
    const leaks = clientFiles
      .filter(({ text }) => text.includes(secret) || text.includes(tag))
      .map(({ file }) => path.relative(root, file));
    expect(leaks).toEqual([]);
  });
});
