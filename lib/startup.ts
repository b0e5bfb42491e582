import "server-only";

/**
 * Server start-up (imported by instrumentation.ts on Node): validates the
 * environment, stopping the process with one message naming each bad
 * variable, and logs which features run on their local defaults.
 */
let loaded: typeof import("@/lib/env");
try {
  loaded = await import("@/lib/env");
} catch (error) {
  // Serving with a broken configuration would only turn every request into a 500: stop here instead.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const { env, localDefaults } = loaded;
const { logger } = await import("@/lib/logger");
for (const note of localDefaults(env)) logger.info({ feature: "env" }, note);
if (env.isProduction && env.devToolsEnabled) {
  logger.warn(
    { feature: "env" },
    "ENABLE_DEV_TOOLS=1 in production: /dev/* is open to anyone and shows every email, sign-in links included",
  );
}
