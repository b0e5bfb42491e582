import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "./proxy";

describe("proxy (optimistic auth redirect)", () => {
  it("sends a visitor without a session cookie to sign in, remembering the page", () => {
    const response = proxy(new NextRequest("http://localhost:3000/dashboard/recipes/new"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("http://localhost:3000/sign-in?next=%2Fdashboard%2Frecipes%2Fnew");
  });

  it("lets a request with a session cookie through to the page, which checks the session itself", () => {
    const request = new NextRequest("http://localhost:3000/dashboard", {
      headers: { cookie: "better-auth.session_token=abc.def" },
    });
    const response = proxy(request);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });

  it("only runs for the signed-in areas: the dashboard and the account page", () => {
    expect(config.matcher).toEqual(["/dashboard/:path*", "/account/:path*"]);
  });
});
