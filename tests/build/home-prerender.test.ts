import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../support/postgres-url";
import { postgresServerReachable, postgresServerUrl } from "../support/postgres-server";
import { buildInto, root, startBuild } from "./next-build";

/**
 * `/` is a static page: a build that can read DATABASE_URL prerenders it with
 * the published recipes, so the first visitor after a deploy gets the real
 * list from Next's cache, and it is rendered again in the background at most
 * every 10 seconds (writes made outside the app). Builds into its own folder
 * against a fresh, seeded Postgres database, then serves that build.
 */
const databaseName = `home_prerender_${randomUUID().replaceAll("-", "")}`;
const databaseUrl = withDatabase(postgresServerUrl, databaseName);
const distDir = ".next-home";
const port = Number(process.env.HOME_PRERENDER_PORT ?? 3190);

const reachable = await postgresServerReachable("the prerendered / test");

describe.skipIf(!reachable)("/ prerendered from the build's database", () => {
  const admin = postgres(postgresServerUrl, { max: 1, onnotice: () => {} });
  const env = { DATABASE_URL: databaseUrl, BETTER_AUTH_SECRET: randomBytes(32).toString("base64url") };
  let build: Awaited<ReturnType<typeof buildInto>>;
  let server: Awaited<ReturnType<typeof startBuild>>;

  beforeAll(async () => {
    await admin.unsafe(`create database "${databaseName}"`);
    const script = (name: string) =>
      promisify(execFile)(
        process.execPath,
        [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", `scripts/${name}.ts`],
        { cwd: root, env: { ...process.env, ...env, NODE_ENV: "development" } },
      );
    await script("migrate");
    await script("seed");
    build = await buildInto(distDir, env);
    server = await startBuild(distDir, port, env);
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
    await build?.remove();
    await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
    await admin.end();
  });

  it("is prerendered with the published recipes, to be rendered again when 10 seconds old", async () => {
    const html = await readFile(path.join(root, distDir, "server/app/index.html"), "utf8");
    expect(html).toContain("No-knead bread");
    expect(html).toContain("Weeknight tomato soup");
    const manifest = JSON.parse(await readFile(path.join(root, distDir, "prerender-manifest.json"), "utf8"));
    expect(manifest.routes["/"].initialRevalidateSeconds).toBe(10);
  });

  it("serves the list from the cache on the first request after start, and nothing of the visitor's session", async () => {
    const response = await fetch(`${server.base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-nextjs-cache")).toMatch(/HIT|STALE/);
    expect(response.headers.get("cache-control")).toContain("s-maxage=10");
    const html = await response.text();
    expect(html).toContain("No-knead bread");
    // The signed-in sentence is the browser's business (HomeInvitation): the cached page invites everyone.
    expect(html).toContain("to keep your own box");
  });

  it("picks up a recipe published outside the app within its 10 seconds", { timeout: 60_000 }, async () => {
    const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await client`
        insert into recipes (organization_id, created_by, title, published, published_at)
        select organization_id, user_id, 'Published by a script', true, now() from member limit 1`;
    } finally {
      await client.end();
    }
    // Stale after 10 s; the next request starts the re-render and a later one gets it.
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    let html = "";
    for (let attempt = 0; attempt < 40 && !html.includes("Published by a script"); attempt++) {
      html = await (await fetch(`${server.base}/`)).text();
      if (!html.includes("Published by a script")) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(html).toContain("Published by a script");
  });
});
