import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { auth, configuredOAuthProviders } from "@/lib/auth";
import { EnvError, parseEnv } from "@/lib/core/env";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { signInWithProviderAction } from "./actions";
import SignInPage from "./sign-in/page";
import SignUpPage from "./sign-up/page";
import { form } from "@/tests/support/form";

// GitHub configured, Google not: one file shows both sides of "a button only when its variables are set".
vi.hoisted(() => {
  vi.stubEnv("GITHUB_CLIENT_ID", "Iv1.test-client-id");
  vi.stubEnv("GITHUB_CLIENT_SECRET", "test-client-secret");
  vi.stubEnv("GOOGLE_CLIENT_ID", "");
  vi.stubEnv("GOOGLE_CLIENT_SECRET", "");
});

const render = async (page: typeof SignInPage | typeof SignUpPage) =>
  renderToStaticMarkup(await page({ searchParams: Promise.resolve({}) } as never));

describe("OAuth sign-in buttons", () => {
  it("appear only for the providers whose id and secret are set", async () => {
    expect(configuredOAuthProviders).toEqual(["github"]);
    for (const page of [SignInPage, SignUpPage]) {
      const html = await render(page);
      expect(html).toContain("Continue with GitHub");
      expect(html).not.toContain("Continue with Google");
    }
  });

  it("send the browser to the provider, which is to come back to /api/auth/callback/github (no network needed)", async () => {
    const attempt = signInWithProviderAction({}, form({ provider: "github", next: "/dashboard" }));
    const redirect = await attempt.then(
      () => null,
      (signal: unknown) => signal,
    );
    expect(redirect).toBeInstanceOf(RedirectSignal);
    const url = new URL((redirect as RedirectSignal).url);
    expect(`${url.origin}${url.pathname}`).toBe("https://github.com/login/oauth/authorize");
    expect(url.searchParams.get("client_id")).toBe("Iv1.test-client-id");
    expect(url.searchParams.get("redirect_uri")).toBe("http://localhost:3000/api/auth/callback/github");
    expect(url.searchParams.get("scope")).toContain("user:email");
  });

  it("refuse a provider that is not configured", async () => {
    const response = await auth.handler(
      new Request("http://localhost:3000/api/auth/sign-in/social", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost:3000" },
        body: JSON.stringify({ provider: "google", callbackURL: "/dashboard" }),
      }),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect((await signInWithProviderAction({}, form({ provider: "google" }))).error).toBeTruthy();
  });
});

describe("OAuth variables", () => {
  const base = { NODE_ENV: "test" };

  it("switch a provider on only as a pair: one without the other stops the start, naming the missing one", () => {
    expect(parseEnv(base).oauth).toEqual({ github: undefined, google: undefined });
    expect(parseEnv({ ...base, GOOGLE_CLIENT_ID: "id", GOOGLE_CLIENT_SECRET: "secret" }).oauth.google).toEqual({
      clientId: "id",
      clientSecret: "secret",
    });
    let error: unknown;
    try {
      parseEnv({ ...base, GITHUB_CLIENT_ID: "id" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).problems.map((problem) => problem.variable)).toEqual(["GITHUB_CLIENT_SECRET"]);
  });
});
