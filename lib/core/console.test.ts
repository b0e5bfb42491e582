import { describe, expect, it } from "vitest";
import { formatWithOptions } from "node:util";
import { scrubConsole } from "./logger";

describe("scrubConsole: what Next prints of an error it caught", () => {
  it("keeps the error's kind and digest, drops the query's parameters, its own properties and addresses", () => {
    const printed: string[] = [];
    const target = {
      error: (...args: unknown[]) => void printed.push(formatWithOptions({ colors: false }, ...args)),
      warn: (...args: unknown[]) => void printed.push(formatWithOptions({ colors: false }, ...args)),
    };
    scrubConsole(target);
    const failed = Object.assign(
      new Error('Failed query: insert into "recipes" ("user_id", "title") values ($1, $2)\nparams: u-1,Secret Recipe'),
      { params: ["u-1", "Secret Recipe"], query: "insert", digest: "4021" },
    );
    failed.cause = Object.assign(new Error("invalid byte sequence"), {
      detail: "Secret Recipe",
      where: "ann@example.com",
    });
    target.error(" ⨯", failed);
    target.warn("sent to ann@example.com");

    expect(printed[0]).toContain("Failed query");
    expect(printed[0]).toContain("4021");
    expect(printed[0]).toContain("invalid byte sequence");
    expect(printed.join("\n")).not.toMatch(/Secret Recipe|ann@example\.com/);
  });
});
