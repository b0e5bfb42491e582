import { describe, expect, it } from "vitest";
import { requestIdFrom } from "./request-id";

describe("requestIdFrom", () => {
  it("prefers the caller's x-request-id, then Vercel's x-vercel-id", () => {
    expect(requestIdFrom(new Headers({ "x-request-id": "req-1", "x-vercel-id": "cdg1::abc" }))).toBe("req-1");
    expect(requestIdFrom(new Headers({ "x-vercel-id": "cdg1::iad1::abc-123" }))).toBe("cdg1::iad1::abc-123");
  });

  it("makes a new id when none is given, or the given one is not safe to log", () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(requestIdFrom(new Headers())).toMatch(uuid);
    expect(requestIdFrom(new Headers({ "x-request-id": 'evil"} {"level":"fatal' }))).toMatch(uuid);
    expect(requestIdFrom(new Headers({ "x-request-id": "x".repeat(500) }))).toMatch(uuid);
  });
});
