import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      "server-only": path.join(root, "tests/support/empty.ts"),
    },
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["node_modules/**", ".next/**", ".next-canary/**", "e2e/**", "tests/build/**"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/database.ts", "tests/support/next/stand-ins.ts"],
    // Two cores: two test files at a time, each with its own in-memory database.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 20_000,
    // Better Auth imports next/headers itself: inline it so the test stand-ins apply there too.
    server: { deps: { inline: [/better-auth/] } },
    hookTimeout: 60_000,
  },
});
