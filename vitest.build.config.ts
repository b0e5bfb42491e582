import { defineConfig } from "vitest/config";

/** `npm run test:build`: tests that run a production build (slow, so not part of `npm test`). */
export default defineConfig({
  test: {
    include: ["tests/build/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // Each file runs a full `next build`: one at a time on a small machine.
    fileParallelism: false,
  },
});
