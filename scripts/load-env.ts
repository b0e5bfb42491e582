/**
 * Loads .env, .env.local and the mode's files from the working directory the
 * way `next dev` does, so `npm run db:migrate`, `db:seed` and `bench` use the
 * same DATABASE_URL as the app. Variables already in the environment win.
 * Import it first: lib/core/env.ts reads process.env as soon as it is imported, and
 * ES modules run their imports in order.
 */
// @next/env is CommonJS: Node sees only its default export.
import nextEnv from "@next/env";

nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production");
