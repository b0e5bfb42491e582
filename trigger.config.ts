import { defineConfig } from "@trigger.dev/sdk";

export default defineConfig({
  // Your project's ref from the Trigger.dev dashboard (Project settings), via TRIGGER_PROJECT_REF.
  project: process.env.TRIGGER_PROJECT_REF || "proj_set_TRIGGER_PROJECT_REF_to_your_project_ref",
  // Seconds of compute per run; below the inbox's 10-minute lock timeout, so a live run is never taken over.
  maxDuration: 300,
  dirs: ["./trigger"],
  build: {
    // lib/ modules `import "server-only"`; this condition resolves it to its empty build, as Next does.
    conditions: ["react-server"],
  },
  retries: {
    enabledInDev: false,
    // For runs that throw (e.g. the database is unreachable); handler failures are retried by the inbox itself.
    default: { maxAttempts: 5, factor: 2, minTimeoutInMs: 1_000, maxTimeoutInMs: 60_000, randomize: true },
  },
});
