import { describe, expect, it } from "vitest";
import { safeNextPath } from "./auth-schema";

describe("safeNextPath (where sign-in sends you)", () => {
  it.each(["/dashboard", "/dashboard/recipes/new", "/pricing?plan=pro", "/dev/emails#latest"])(
    "keeps the same-site path %s",
    (path) => {
      expect(safeNextPath(path)).toBe(path);
    },
  );

  it.each([
    undefined,
    "",
    "dashboard",
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "\\\\evil.example",
  ])("sends %s to the dashboard instead", (path) => {
    expect(safeNextPath(path)).toBe("/dashboard");
  });
});
