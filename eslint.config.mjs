import next from "eslint-config-next";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTypescript,
  {
    ignores: [
      ".next/**",
      "bench/floor/.next/**",
      ".vercel/**",
      ".data/**",
      "node_modules/**",
      "next-env.d.ts",
      "drizzle/**",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  {
    rules: {
      // process.env is read in one place only: lib/core/env.ts validates it.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: 'Import { env } from "@/lib/core/env" instead.' },
      ],
    },
  },
  {
    files: [
      "lib/core/env.ts",
      "instrumentation.ts",
      "instrumentation-client.ts",
      "lib/observability/browser.ts",
      "*.config.ts",
      "*.config.mjs",
      "scripts/**",
      "tests/**",
      "e2e/**",
      "**/*.test.ts",
      "trigger.config.ts",
      // The benchmark's bare app is not the project: it has no lib/core/env.ts.
      "bench/floor/**",
    ],
    rules: { "no-restricted-properties": "off" },
  },
];
export default config;
