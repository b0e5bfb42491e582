import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");
const cronRoutes = readdirSync(path.join(root, "app/api/cron"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => `/api/cron/${entry.name}`)
  .sort();

// The two ways to deploy (docs/deployment.md): Stack A is Vercel with Trigger.dev, Stack B one server on Render.
describe("every cron route is scheduled on both stacks", () => {
  it("is listed in vercel.json's crons (Stack A)", () => {
    const { crons } = JSON.parse(readFileSync(path.join(root, "vercel.json"), "utf8")) as { crons: { path: string }[] };
    expect(crons.map((cron) => cron.path).sort()).toEqual(cronRoutes);
  });

  it("has a cron job calling it in render.yaml (Stack B)", () => {
    const blueprint = readFileSync(path.join(root, "render.yaml"), "utf8");
    const called = [...blueprint.matchAll(/\$APP_HOSTPORT(\/api\/cron\/[\w-]+)/g)].map((match) => match[1]).sort();
    expect(called).toEqual(cronRoutes);
  });
});
