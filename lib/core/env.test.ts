import { afterEach, describe, expect, it, vi } from "vitest";
import { EnvError, localDefaults, parseEnv } from "./env";

function problems(source: Record<string, string>) {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).message;
  }
  throw new Error("expected parseEnv to fail");
}

describe("parseEnv", () => {
  it("reads ADMIN_EMAILS as a list of lowercased addresses; unset, nobody is an operator outside `next dev`", () => {
    expect(parseEnv({ ADMIN_EMAILS: " Ops@Example.com,, second@example.com " }).adminEmails).toEqual([
      "ops@example.com",
      "second@example.com",
    ]);
    expect(problems({ ADMIN_EMAILS: "ops@example.com, not-an-address" })).toContain(
      "ADMIN_EMAILS must be a comma-separated list of email addresses",
    );
    expect(parseEnv({ NODE_ENV: "test" }).adminEmails).toEqual([]);
    expect(parseEnv({ NODE_ENV: "development" }).adminEmails).toEqual(["demo@example.com"]);
    const production = parseEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: "x".repeat(40) });
    expect(production.adminEmails).toEqual([]);
    expect(localDefaults(production).join("\n")).toContain("ADMIN_EMAILS unset: nobody is an operator");
  });

  it("names every bad variable in one message", () => {
    const message = problems({
      DATABASE_URL: "mysql://localhost/app",
      STRIPE_SECRET_KEY: "pk_test_123",
      CONTACT_TO: "not-an-email",
      CRON_SECRET: "short",
    });
    expect(message).toContain("Invalid environment variables:");
    expect(message).toContain("DATABASE_URL must be a postgres:// or postgresql:// URL");
    expect(message).toContain('STRIPE_SECRET_KEY must be a Stripe secret key ("sk_..." or "rk_...")');
    expect(message).toContain("CONTACT_TO must be an email address");
    expect(message).toContain("CRON_SECRET must be at least 16 characters");
    expect(message).not.toContain("RESEND_API_KEY");
  });

  it("selects the local default for every missing optional variable", () => {
    const env = parseEnv({ NODE_ENV: "development" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.appUrl).toBe("http://localhost:3000");
    expect(env.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(env.stripeWebhookSecret).toMatch(/^whsec_/);
    expect(env.contactRateLimit).toBe(10);
    expect(env.contactRateWindowSeconds).toBe(10);
    expect(env.devToolsEnabled).toBe(true);
    const notes = localDefaults(env).join("\n");
    for (const feature of [
      "embedded PGlite",
      "dev secret",
      "billing",
      "dev outbox",
      "in-process fixed windows",
      "in-process after the response",
      "refuses every call",
    ]) {
      expect(notes).toContain(feature);
    }
  });

  it("treats empty values (FOO= in a .env file) as unset", () => {
    const env = parseEnv({ DATABASE_URL: "", RESEND_API_KEY: "  " });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.RESEND_API_KEY).toBeUndefined();
  });

  it("uses configured values and says nothing about them", () => {
    const env = parseEnv({
      DATABASE_URL: "postgres://u@db.example.com:5432/app",
      BETTER_AUTH_SECRET: "x".repeat(40),
      APP_URL: "https://recipes.example.com/",
      RESEND_API_KEY: "re_123",
    });
    expect(env.appUrl).toBe("https://recipes.example.com");
    expect(env.authSecret).toBe("x".repeat(40));
    const notes = localDefaults(env).join("\n");
    expect(notes).not.toContain("DATABASE_URL");
    expect(notes).not.toContain("RESEND_API_KEY");
    expect(notes).toContain("rate limits count in PostgreSQL, shared by every instance");
  });

  it("requires DATABASE_URL and the auth secret in production on Vercel", () => {
    const message = problems({ NODE_ENV: "production", VERCEL: "1" });
    expect(message).toContain("DATABASE_URL is required in production");
    expect(message).toContain("BETTER_AUTH_SECRET is required in production");
    expect(() =>
      parseEnv({ NODE_ENV: "production", VERCEL: "1", DATABASE_URL: "postgres://h/db", AUTH_SECRET: "s".repeat(32) }),
    ).not.toThrow();
  });

  it("lets `vercel build` run with no database and no secret, and refuses the built function that starts without them", () => {
    // `vercel build` runs `next build` with VERCEL=1; Next sets NEXT_PHASE in the build's workers.
    const build = { NODE_ENV: "production", VERCEL: "1", NEXT_PHASE: "phase-production-build" };
    expect(() => parseEnv(build)).not.toThrow();
    expect(() => parseEnv({ ...build, RENDER: "true" })).not.toThrow();
    expect(parseEnv(build).DATABASE_URL).toBeUndefined();
    // The same variables at run time (a deployed function has no NEXT_PHASE): the clear message, not the embedded database.
    const runtime = problems({ NODE_ENV: "production", VERCEL: "1", BETTER_AUTH_SECRET: "x".repeat(40) });
    expect(runtime).toContain(
      "DATABASE_URL is required in production (the embedded database does not persist on serverless hosts)",
    );
    expect(runtime).not.toContain("BETTER_AUTH_SECRET");
    // Another phase (`next start` sets phase-production-server) is a run, not a build.
    expect(problems({ NODE_ENV: "production", VERCEL: "1", NEXT_PHASE: "phase-production-server" })).toContain(
      "DATABASE_URL is required in production",
    );
  });

  it("stops any production start without BETTER_AUTH_SECRET, not only on Vercel or Render", () => {
    // Self-hosted or Docker: `next start` with no hosting platform variables.
    expect(problems({ NODE_ENV: "production" })).toContain("BETTER_AUTH_SECRET is required in production");
    expect(problems({ NODE_ENV: "production", RENDER: "true", DATABASE_URL: "postgres://h/db" })).toContain(
      "BETTER_AUTH_SECRET is required in production",
    );
    // `next build` needs no secret, and tests and development keep their defaults.
    expect(parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }).authSecret).toHaveLength(51);
    expect(() => parseEnv({ NODE_ENV: "test" })).not.toThrow();
    expect(() => parseEnv({ NODE_ENV: "development" })).not.toThrow();
  });

  it("lets `next start` run on the embedded defaults outside a hosting platform, given a secret", () => {
    const secret = { BETTER_AUTH_SECRET: "x".repeat(40) };
    const env = parseEnv({ NODE_ENV: "production", ...secret });
    expect(env.isProduction).toBe(true);
    expect(env.authSecret).toBe("x".repeat(40));
    expect(env.devToolsEnabled).toBe(false);
    expect(env.stripeWebhookSecret).toBeUndefined();
    expect(parseEnv({ NODE_ENV: "production", ENABLE_DEV_TOOLS: "1", ...secret }).devToolsEnabled).toBe(true);
  });

  it("points absolute links at the dev server's own port without APP_URL, in development only", () => {
    // `next dev -p 3001` (or PORT=3001 npm run dev) sets PORT in the server process before the app loads.
    expect(parseEnv({ NODE_ENV: "development", PORT: "3001" }).appUrl).toBe("http://localhost:3001");
    expect(parseEnv({ NODE_ENV: "development" }).appUrl).toBe("http://localhost:3000");
    expect(parseEnv({ NODE_ENV: "development", PORT: "3001", APP_URL: "http://recipes.test:8080" }).appUrl).toBe(
      "http://recipes.test:8080",
    );
    expect(parseEnv({ NODE_ENV: "development", PORT: "3001", BETTER_AUTH_URL: "http://127.0.0.1:4000" }).appUrl).toBe(
      "http://127.0.0.1:4000",
    );
    // A production server behind a proxy listens on a port that is not its public address: that stays APP_URL's job.
    const secret = { BETTER_AUTH_SECRET: "x".repeat(40) };
    expect(parseEnv({ NODE_ENV: "production", PORT: "8080", ...secret }).appUrl).toBe("http://localhost:3000");
    expect(parseEnv({ NODE_ENV: "test", PORT: "3001" }).appUrl).toBe("http://localhost:3000");
  });

  it("names the dev tools in the start-up notes only where they answer", () => {
    const development = localDefaults(parseEnv({ NODE_ENV: "development" })).join("\n");
    expect(development).toContain("/dev/emails");
    expect(development).toContain("/dev/stripe");
    const production = localDefaults(parseEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: "x".repeat(40) })).join(
      "\n",
    );
    expect(production).not.toContain("/dev/");
    expect(production).toContain("RESEND_API_KEY unset: emails are recorded but not sent");
    const withDevTools = localDefaults(
      parseEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: "x".repeat(40), ENABLE_DEV_TOOLS: "1" }),
    ).join("\n");
    expect(withDevTools).toContain("/dev/emails");
  });

  it("believes no forwarded header unless TRUST_PROXY says which (Vercel's own by default on Vercel)", () => {
    expect(parseEnv({}).trustProxy).toBe("none");
    expect(parseEnv({ VERCEL: "1" }).trustProxy).toBe("vercel");
    expect(parseEnv({ TRUST_PROXY: "1" }).trustProxy).toBe("1");
    expect(parseEnv({ TRUST_PROXY: "Cloudflare" }).trustProxy).toBe("cloudflare");
    expect(problems({ TRUST_PROXY: "yes" })).toContain(
      'TRUST_PROXY must be "vercel", "cloudflare", "none" or a hop count',
    );
  });

  it("requires both Upstash variables together", () => {
    expect(problems({ UPSTASH_REDIS_REST_URL: "https://eu1.upstash.io" })).toContain(
      "UPSTASH_REDIS_REST_TOKEN must be set together",
    );
  });
});

// What lib/core/env.ts does to process.env when it is imported: only a fresh import shows it.
describe("empty variables (a copied .env.example)", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("are unset for SDKs that read them themselves, so importing the AI SDK does not throw", async () => {
    vi.stubEnv("ANTHROPIC_BASE_URL", "");
    vi.stubEnv("OPENAI_BASE_URL", " ");
    vi.resetModules();
    await import("./env");
    expect(process.env.ANTHROPIC_BASE_URL).toBeUndefined();
    expect(process.env.OPENAI_BASE_URL).toBeUndefined();
    // @ai-sdk/anthropic builds a default provider on import, which threw "baseURL must be a non-empty string"
    // with the empty ANTHROPIC_BASE_URL (the dashboard crashed under `npm run dev` with a copied .env.example).
    const { createAnthropic } = await import("@ai-sdk/anthropic");
    expect(() => createAnthropic()).not.toThrow();
    await expect(import("@/lib/ai/model")).resolves.toHaveProperty("aiModel");
  });
});
