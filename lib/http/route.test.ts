import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/core/errors";
import { readJsonInput, route } from "@/lib/http";

const request = (body?: unknown, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/thing", {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** A database that could not be reached, as postgres.js reports it through Drizzle. */
const unreachable = () =>
  Object.assign(new Error("Failed query: insert into things … params: secret@example.com"), {
    name: "DrizzleQueryError",
    cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
  });

describe("route(): the one shape of a Route Handler", () => {
  it("answers the handler's value as JSON, with the caller's request id", async () => {
    const GET = route(async () => ({ ok: true }));
    const response = await GET(request(undefined, { "x-request-id": "req_1" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get("x-request-id")).toBe("req_1");
  });

  it("answers each AppError kind with its status, and `{ error, reason }` plus the error's details", async () => {
    const cases: [AppError, number][] = [
      [new AppError("not-found", "No such thing.", { reason: "thing-not-found" }), 404],
      [new AppError("forbidden", "Not yours."), 403],
      [new AppError("limit-reached", "Used up.", { details: { quota: 5 }, retryAfterSeconds: 60 }), 429],
      [new AppError("unavailable", "Later."), 503],
      [new AppError("upstream-timeout", "Too slow."), 504],
    ];
    for (const [error, status] of cases) {
      const response = await route(async () => {
        throw error;
      })(request());
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error: error.message, reason: error.reason, ...error.details });
    }
    const limited = await route(async () => {
      throw cases[2]![0];
    })(request());
    expect(limited.headers.get("retry-after")).toBe("60");
  });

  it("refuses a caller its `authenticate` refuses, before the handler runs", async () => {
    let ran = false;
    const POST = route(
      {
        authenticate: async () => {
          throw new AppError("unauthenticated", "Sign in first.");
        },
      },
      async () => {
        ran = true;
        return {};
      },
    );
    const response = await POST(request({}));
    expect(response.status).toBe(401);
    expect(ran).toBe(false);
  });

  it("answers invalid input with zod's form and field errors, and keeps headers the handler set", async () => {
    const POST = route(async ({ req, headers }) => {
      headers.set("RateLimit-Remaining", "3");
      return readJsonInput(req, z.object({ name: z.string().min(2, { error: "Too short." }) }), 1024);
    });
    const response = await POST(request({ name: "x" }));
    expect(response.status).toBe(400);
    expect(response.headers.get("ratelimit-remaining")).toBe("3");
    expect(await response.json()).toEqual({
      error: { formErrors: [], fieldErrors: { name: ["Too short."] } },
      reason: "invalid-input",
    });
  });

  it("answers 503 with Retry-After when the database could not be reached, never quoting the query", async () => {
    const POST = route({ unavailable: "Try again in a minute." }, async () => {
      throw unreachable();
    });
    const response = await POST(request({}));
    expect(response.status).toBe(503);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ error: "Try again in a minute.", reason: "database-unavailable" });
    expect(body).not.toContain("secret@example.com");
  });

  it("answers a bug 500 naming the request id, without the error's text", async () => {
    const GET = route(async () => {
      throw new TypeError("cannot read secret-value of undefined");
    });
    const response = await GET(request(undefined, { "x-request-id": "req_bug" }));
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body).toMatchObject({ reason: "internal-error" });
    expect(body.error).toContain("req_bug");
    expect(JSON.stringify(body)).not.toContain("secret-value");
  });

  it("adds its headers to a response whose own headers are immutable (a redirect)", async () => {
    const GET = route(async () => Response.redirect("http://localhost/elsewhere", 302));
    const response = await GET(request(undefined, { "x-request-id": "req_redirect" }));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://localhost/elsewhere");
    expect(response.headers.get("x-request-id")).toBe("req_redirect");
  });

  it("hands the handler the route's dynamic segments", async () => {
    const GET = route<{ id: string }>(async ({ params }) => ({ id: params.id }));
    const response = await GET(request(), { params: Promise.resolve({ id: "abc" }) });
    expect(await response.json()).toEqual({ id: "abc" });
  });
});
