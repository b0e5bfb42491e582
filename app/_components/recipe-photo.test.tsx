import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";

// Whether photo storage is on is decided from env when lib/storage loads: load it again under each setting.
async function renderPhoto(variables: Record<string, string>) {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  vi.resetModules();
  const { RecipePhoto } = await import("./recipe-photo");
  return renderToStaticMarkup(<RecipePhoto uploadId="3f1e2d4c-1111-4222-8333-944455556666" title="Soup" />);
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("RecipePhoto", () => {
  it("shows the photo through this app's address while storage is on", async () => {
    const html = await renderPhoto({ NODE_ENV: "development", S3_BUCKET: "" });
    expect(html).toContain('src="/api/photos/3f1e2d4c-1111-4222-8333-944455556666"');
    expect(html).toContain('alt="Photo of Soup"');
  });

  it("shows nothing, not a broken image, when photo storage is off in production", async () => {
    const html = await renderPhoto({ NODE_ENV: "production", BETTER_AUTH_SECRET: "x".repeat(40), S3_BUCKET: "" });
    expect(html).toBe("");
  });
});
