import { getCookies, getSessionCookie } from "better-auth/cookies";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy, SERVER_ACTION_MAX_BYTES } from "./proxy";

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

  it("sends a signed-out visitor of every area the matcher runs for to sign in: a team's pages and /teams/new too", () => {
    for (const path of ["/account", "/t/anns-kitchen/members", "/teams/new"]) {
      const response = proxy(new NextRequest(`http://localhost:3000${path}`));
      expect(response.status, path).toBe(307);
      expect(response.headers.get("location"), path).toBe(
        `http://localhost:3000/sign-in?next=${encodeURIComponent(path)}`,
      );
    }
  });

  it("lets a request with a session cookie through to the page, which checks the session itself", () => {
    const request = new NextRequest("http://localhost:3000/dashboard", {
      headers: { cookie: "better-auth.session_token=abc.def" },
    });
    const response = proxy(request);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });

  it("runs for signed-out visitors of the dashboard, teams and the account page, and nowhere else", () => {
    for (const path of ["/dashboard", "/t/anns-kitchen", "/t/anns-kitchen/members", "/teams/new", "/account"]) {
      expect(runsFor(`http://localhost:3000${path}`), path).toBe(true);
    }
    for (const path of ["/", "/contact", "/pricing", "/sign-in", "/api/contact", "/dashboards", "/invitations/abc"]) {
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
    for (const matcher of config.matcher as { missing?: { key: string }[] }[]) {
      for (const { key } of matcher.missing ?? []) {
        expect(getSessionCookie(new Headers({ cookie: `${key}=abc.def` })), key).toBe("abc.def");
      }
    }
  });
});

describe("proxy (Server Action bodies)", () => {
  const action = (headers: Record<string, string>, path = "/dashboard/recipes/new") =>
    new NextRequest(`http://localhost:3000${path}`, {
      method: "POST",
      headers: { "next-action": "7f3a", cookie: "better-auth.session_token=abc.def", ...headers },
    });

  it("answers 413 to a Server Action post over Next's 1 MB limit, before Next reads it", async () => {
    const response = proxy(action({ "content-length": String(SERVER_ACTION_MAX_BYTES + 1) }));
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/too large/i);
    expect(proxy(action({ "content-length": "2048" })).headers.get("x-middleware-next")).toBe("1");
  });

  it("answers 413 to a form posted without JavaScript over the limit, and leaves Route Handlers' bodies to them", () => {
    const form = (path: string) =>
      new NextRequest(`http://localhost:3000${path}`, {
        method: "POST",
        headers: {
          "content-type": "multipart/form-data; boundary=x",
          "content-length": String(SERVER_ACTION_MAX_BYTES + 1),
        },
      });
    expect(proxy(form("/sign-in")).status).toBe(413);
    const multipart = { "content-type": "multipart/form-data; boundary=x" };
    expect(unstable_doesMiddlewareMatch({ config, url: "http://localhost:3000/sign-in", headers: multipart })).toBe(
      true,
    );
    expect(unstable_doesMiddlewareMatch({ config, url: "http://localhost:3000/api/contact", headers: multipart })).toBe(
      false,
    );
    expect(proxy(form("/api/contact")).headers.get("x-middleware-next")).toBe("1");
  });

  it("answers 411 to a Server Action post that does not say how large it is (a browser always does)", () => {
    expect(proxy(action({ "transfer-encoding": "chunked" }, "/sign-in")).status).toBe(411);
  });

  it("runs for every Server Action post, signed in or not, on any page", () => {
    const headers = { "next-action": "7f3a" };
    const cookies = { "better-auth.session_token": "abc.def" };
    for (const path of ["/sign-in", "/contact", "/dashboard/recipes/new", "/account"]) {
      expect(
        unstable_doesMiddlewareMatch({ config, url: `http://localhost:3000${path}`, headers, cookies }),
        path,
      ).toBe(true);
    }
    // A signed-out action post to a signed-in area is still sent to sign in.
    const signedOut = new NextRequest("http://localhost:3000/account", {
      method: "POST",
      headers: { "next-action": "7f3a", "content-length": "10" },
    });
    expect(proxy(signedOut).status).toBe(307);
    expect(proxy(action({ "content-length": "10" }, "/sign-in")).headers.get("x-middleware-next")).toBe("1");
  });
});
