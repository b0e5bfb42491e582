/**
 * `npm run dev` and `npm start` run this before Next starts: it loads the env
 * files as Next will and validates them with lib/core/env.ts, so a bad variable stops
 * the command with one message naming every bad variable, before anything
 * prints "Ready". (Next prints "Ready" before it runs any of the app's code.
 * Where no npm script starts the server, as on Vercel, lib/core/startup.ts makes
 * the same check when the server boots.)
 *
 * Usage: tsx --conditions=react-server scripts/check-env.ts [development|production]
 */
// The mode decides which env files load (.env.production or .env.development) and what is required.
Object.assign(process.env, {
  NODE_ENV: process.env.NODE_ENV || (process.argv[2] === "production" ? "production" : "development"),
});
await import("./load-env");
try {
  await import("@/lib/core/env");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

export {};
