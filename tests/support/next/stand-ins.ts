import { vi } from "vitest";

/**
 * Runs before every test file (`setupFiles` in vitest.config.ts). Next's
 * request APIs throw outside a request, so each is replaced by the small,
 * faithful stand-in beside this file, and `after()` (behind lib/jobs/after.ts)
 * holds work until the test calls `flushAfterResponse()`. A test that needs
 * other behaviour overrides one with its own `vi.mock` and says why.
 */
vi.mock("next/headers", () => import("@/tests/support/next/headers"));
vi.mock("next/cache", () => import("@/tests/support/next/cache"));
vi.mock("next/navigation", () => import("@/tests/support/next/navigation"));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  ...(await import("@/tests/support/next/server")),
}));
vi.mock("@/lib/jobs/after", () => import("@/tests/support/run-after-response"));
