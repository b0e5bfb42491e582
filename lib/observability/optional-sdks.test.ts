import { describe, expect, it, vi } from "vitest";

// What a function's cold start must not pay for: each optional SDK loads only when its variable is set,
// and PGlite only without DATABASE_URL. A mock records each import of them.
const imported = vi.hoisted(() => {
  for (const name of ["SENTRY_DSN", "POSTHOG_KEY", "AI_MODEL", "ANTHROPIC_API_KEY", "OPENAI_API_KEY"])
    delete process.env[name];
  return new Set<string>();
});
vi.mock("@sentry/nextjs", () => {
  imported.add("@sentry/nextjs");
  return {};
});
vi.mock("posthog-node", () => {
  imported.add("posthog-node");
  return {};
});
vi.mock("@ai-sdk/anthropic", () => {
  imported.add("@ai-sdk/anthropic");
  return {};
});
vi.mock("@ai-sdk/openai", () => {
  imported.add("@ai-sdk/openai");
  return {};
});
vi.mock("@electric-sql/pglite", async (original) => {
  imported.add("@electric-sql/pglite");
  return original();
});

describe("optional SDKs, with none configured", () => {
  it("loads neither Sentry, PostHog nor an AI provider's SDK, while reporting an error and tracking an event", async () => {
    const { captureRequestError, reportError, startServerSentry } = await import("./sentry");
    const { trackProductEvent } = await import("./analytics");
    const { aiModel, isAiProviderConfigured } = await import("@/lib/ai/model");
    await startServerSentry();
    await reportError(new Error("a failure with no DSN"), { job: "test" });
    await captureRequestError(
      new Error("a request error with no DSN"),
      { path: "/", method: "GET", headers: {} },
      { routerKind: "App Router", routePath: "/", routeType: "render" },
    );
    await trackProductEvent("user-1", "recipe created");
    expect(isAiProviderConfigured).toBe(false);
    expect(aiModel.provider).toBe("offline");
    expect([...imported].filter((name) => name !== "@electric-sql/pglite")).toEqual([]);
  });

  it.runIf(process.env.DATABASE_URL)("does not load PGlite on PostgreSQL (a deployed function's case)", async () => {
    const { db, schema } = await import("@/lib/db");
    await db.select().from(schema.user).limit(1);
    expect(imported.has("@electric-sql/pglite")).toBe(false);
  });
});
