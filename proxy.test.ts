import { getCookies, getSessionCookie } from "better-auth/cookies";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "./proxy";

/** The session cookie Better Auth sets for an app served at `baseURL`. */
const sessionCookieName = (baseURL: string) => getCookies({ baseURL }).sessionToken.name;

const runsFor = (url: string, cookies: Record<string, string> = {}) =>
  unstable_doesMiddlewareMatch({ config, url, cookies });

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

  it("runs for signed-out visitors of the dashboard and the account page, and nowhere else", () => {
    for (const path of ["/dashboard", "/dashboard/recipes/new", "/account", "/account/sessions"]) {
      expect(runsFor(`http://localhost:3000${path}`), path).toBe(true);
    }
    for (const path of ["/", "/contact", "/pricing", "/sign-in", "/api/contact", "/dashboards"]) {
      expect(runsFor(`http://localhost:3000${path}`), path).toBe(false);
    }
  });

  it("is skipped when the request carries the session cookie Better Auth sets, over HTTP and HTTPS", () => {
    for (const baseURL of ["http://localhost:3000", "https://recipes.example.com"]) {
      const name = sessionCookieName(baseURL);
      expect(runsFor(`${baseURL}/dashboard`, { [name]: "abc.def" }), name).toBe(false);
      expect(runsFor(`${baseURL}/account`, { [name]: "abc.def" }), name).toBe(false);
    }
    // Another cookie is no session: the check still runs.
    expect(runsFor("http://localhost:3000/dashboard", { theme: "dark" })).toBe(true);
  });

  it("skips only requests the proxy itself would let through", () => {
    // Every cookie the matcher treats as a session is one the proxy accepts, so skipping it changes no answer.
    for (const matcher of config.matcher as { missing: { key: string }[] }[]) {
      for (const { key } of matcher.missing) {
        expect(getSessionCookie(new Headers({ cookie: `${key}=abc.def` })), key).toBe("abc.def");
      }
    }
  });
});
