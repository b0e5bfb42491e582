import { describe, expect, it } from "vitest";
import { signInInput } from "@/lib/auth/schema";
import { safeReturnPath } from "./return-path";

describe("safeReturnPath (where a flow may send the browser next)", () => {
  it.each([
    ["/dashboard", "/dashboard"],
    ["/dashboard/recipes/new", "/dashboard/recipes/new"],
    ["/pricing?plan=pro", "/pricing?plan=pro"],
    ["/dev/emails#latest", "/dev/emails#latest"],
    ["/a/b/../c", "/a/c"],
  ])("keeps the same-site path %s as %s", (path, kept) => {
    expect(safeReturnPath(path)).toBe(kept);
  });

  // Known open-redirect bypasses: each is another host (or a script) to a browser, directly or after decoding.
  const bypasses = [
    undefined,
    "",
    "dashboard",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "//evil.example",
    "///evil.example",
    "////evil.example/phish",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/..//evil.example/phish",
    "/../..//evil.example",
    "/./..//evil.example",
    "/%2e%2e//evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%252F%252Fevil.example",
    "/%25252F%25252Fevil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%09/evil.example",
    "/%0d%0a/evil.example",
    "/\u0000/evil.example",
    "/dashboard\u0000",
    "/%E0%A4%A", // not valid percent-encoding
    " //evil.example",
  ];

  it.each(bypasses)("refuses %j", (path) => {
    expect(safeReturnPath(path)).toBeUndefined();
  });

  it("is what the sign-in form's `next` goes through: refused paths become the dashboard", () => {
    for (const path of bypasses.filter((p) => p !== undefined)) {
      const parsed = signInInput.parse({ email: "cook@example.com", password: "x", next: path });
      expect(parsed.next).toBe("/dashboard");
    }
    expect(signInInput.parse({ email: "cook@example.com", password: "x", next: "/pricing" }).next).toBe("/pricing");
  });
});
