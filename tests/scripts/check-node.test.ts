import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const script = path.resolve(import.meta.dirname, "../../scripts/check-node.mjs");

/** Runs the preinstall check as if this Node were `version`. */
function checkOn(version: string) {
  const pretend = `Object.defineProperty(process, "versions", { value: { ...process.versions, node: "${version}" } });`;
  return spawnSync(
    process.execPath,
    ["--input-type=module", "-e", `${pretend} await import(${JSON.stringify(script)});`],
    {
      encoding: "utf8",
    },
  );
}

describe("npm install's Node check (scripts/check-node.mjs, the preinstall script)", () => {
  it("stops an install on another Node and names the fix, for this shell and for good", () => {
    const run = checkOn("20.20.2");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("This project needs Node 24 (.nvmrc); this shell runs Node 20.20.2.");
    expect(run.stderr).toContain(". scripts/use-node-24.sh");
    expect(run.stderr).toContain("a version manager that reads .nvmrc");
  });

  it("lets Node 24 through without a word", () => {
    const run = checkOn("24.22.3");
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
  });
});
