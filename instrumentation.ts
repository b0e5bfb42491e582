/**
 * Runs once when the server starts: validates the environment (a bad value
 * stops start-up with one message naming each bad variable) and says which
 * features run on their local defaults.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env, localDefaults } = await import("@/lib/env");
  const { logger } = await import("@/lib/logger");
  for (const note of localDefaults(env)) logger.info({ feature: "env" }, note);
  if (env.isProduction && env.devToolsEnabled) {
    logger.warn({ feature: "env" }, "ENABLE_DEV_TOOLS=1 in production: /dev/* is open to anyone and shows every email, sign-in links included");
  }
}
