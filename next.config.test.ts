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
});
