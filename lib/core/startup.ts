import "server-only";

/**
 * Server start-up (imported by instrumentation.ts on Node): validates the
 * environment, stopping the process with one message naming each bad
 * variable, and logs which features run on their local defaults.
 */
let loaded: typeof import("@/lib/core/env");
try {
  loaded = await import("@/lib/core/env");
} catch (error) {
  // Serving with a broken configuration would only turn every request into a 500: stop here instead.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const { env, localDefaults } = loaded;
const { logger, scrubConsole } = await import("@/lib/core/logger");
// Next prints the errors it catches itself with console.error: scrubbed, as the log's are.
scrubConsole();
for (const note of localDefaults(env)) logger.info({ feature: "env" }, note);
if (env.isProduction && env.devToolsEnabled) {
  logger.warn(
    { feature: "env" },
    "ENABLE_DEV_TOOLS=1 in production: /dev/* is open to anyone and shows every email, sign-in links included",
  );
}
if (env.isProduction && env.webhooksAllowPrivateUrls) {
  logger.warn(
    { feature: "env" },
    "WEBHOOKS_ALLOW_PRIVATE_URLS=1 in production: outbound webhooks may reach loopback and private addresses " +
      "(cloud metadata, this network's services); it is meant for local production builds and browser tests only",
  );
}
