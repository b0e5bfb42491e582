import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pruneTrace } from "./trace-prune";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A project with these packages installed ({ name: its dependencies }) and a trace in .next/server. */
function project(packages: Record<string, string[]>, files: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trace-prune-"));
  dirs.push(dir);
  for (const [name, dependencies] of Object.entries(packages)) {
    fs.mkdirSync(path.join(dir, "node_modules", name), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "node_modules", name, "package.json"),
      JSON.stringify({ name, dependencies: Object.fromEntries(dependencies.map((d) => [d, "*"])) }),
    );
  }
  const trace = path.join(dir, ".next", "server", "instrumentation.js.nft.json");
  fs.mkdirSync(path.dirname(trace), { recursive: true });
  fs.writeFileSync(trace, JSON.stringify({ version: 1, files }));
  const read = () => (JSON.parse(fs.readFileSync(trace, "utf8")) as { files: string[] }).files;
  return { dir, trace, read };
}

describe("pruneTrace", () => {
  it("drops an excluded package, its external link and what only it depends on, and keeps what others share", () => {
    const { dir, trace, read } = project(
      {
        s3rver: ["koa", "debug"],
        koa: ["koa-compose"],
        "koa-compose": [],
        debug: ["ms"],
        ms: [],
        pino: ["debug"],
        "@electric-sql/pglite": [],
      },
      [
        "../chunks/app.js",
        "../node_modules/s3rver-0123456789abcdef",
        "../node_modules/@electric-sql/pglite-fedcba9876543210",
        "../../node_modules/s3rver/lib/index.js",
        "../../node_modules/koa/lib/application.js",
        "../../node_modules/koa-compose/index.js",
        "../../node_modules/debug/src/index.js",
        "../../node_modules/ms/index.js",
        "../../node_modules/pino/pino.js",
        "../../node_modules/@electric-sql/pglite/dist/pglite.wasm",
      ],
    );
    expect(pruneTrace(trace, dir, ["@electric-sql/pglite", "s3rver", "prettier"])).toBe(6);
    expect(read()).toEqual([
      "../chunks/app.js",
      "../../node_modules/debug/src/index.js",
      "../../node_modules/ms/index.js",
      "../../node_modules/pino/pino.js",
    ]);
  });

  it("leaves a trace without the excluded packages as it was", () => {
    const files = ["../chunks/app.js", "../../node_modules/pino/pino.js"];
    const { dir, trace, read } = project({ pino: [] }, files);
    expect(pruneTrace(trace, dir, ["s3rver"])).toBe(0);
    expect(read()).toEqual(files);
  });
});
