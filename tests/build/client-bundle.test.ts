import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildInto, root } from "./next-build";

/**
 * Builds the app with a canary value in every secret and proves that none of
 * them reaches the browser: no file under .next/static (the client bundles)
 * contains one. Runs a full `next build` into its own folder, so it is its own
 * suite: `npm run test:build`. Its DATABASE_URL points at a closed port, so it
 * also proves that a build needs no database.
 */
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
let build: Awaited<ReturnType<typeof buildInto>>;

beforeAll(async () => {
  build = await buildInto(distDir, canaries);
  const files = await filesUnder(path.join(root, distDir, "static"));
  clientFiles = await Promise.all(files.map(async (file) => ({ file, text: await readFile(file, "utf8") })));
}, 600_000);

afterAll(() => build?.remove());

describe("a build that cannot reach its database", () => {
  it("succeeds, and leaves / rendering per request instead of prerendering an empty list", () => {
    expect(build.output).toContain("/ renders per request in this build: the database did not answer the build");
    expect(existsSync(path.join(root, distDir, "server/app/index.html"))).toBe(false);
    // The static pages that need no database are still prerendered.
    expect(existsSync(path.join(root, distDir, "server/app/contact.html"))).toBe(true);
  });
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
