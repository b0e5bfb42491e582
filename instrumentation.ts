/**
 * Runs once when the server starts. The work is Node-only (it may stop the
 * process), so it lives in its own module that the Edge build never compiles.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./lib/startup");
}
