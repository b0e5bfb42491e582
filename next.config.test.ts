import { afterEach, describe, expect, it, vi } from "vitest";

describe("next.config", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("builds into .next when NEXT_DIST_DIR is empty, as in a copied .env.example", async () => {
    vi.stubEnv("NEXT_DIST_DIR", "");
    const { default: config } = await import("./next.config");
    expect(config.distDir).toBe(".next");
  });

  it("builds into NEXT_DIST_DIR when it is set", async () => {
    vi.stubEnv("NEXT_DIST_DIR", ".next-test");
    const { default: config } = await import("./next.config");
    expect(config.distDir).toBe(".next-test");
  });

  it("leaves the optional SDKs to Node under next dev (nothing to compile for the first page) and bundles them in a build", async () => {
    vi.stubEnv("NODE_ENV", "development");
    const { default: dev } = await import("./next.config");
    expect(dev.serverExternalPackages).toEqual(expect.arrayContaining(["@sentry/nextjs", "@trigger.dev/sdk", "svix"]));
    vi.resetModules();
    vi.stubEnv("NODE_ENV", "production");
    const { default: build } = await import("./next.config");
    expect(build.serverExternalPackages).not.toContain("@sentry/nextjs");
    expect(build.serverExternalPackages).toEqual(expect.arrayContaining(["@electric-sql/pglite", "pino", "s3rver"]));
  });
});
