import { onTestFinished } from "vitest";
import { env, parseEnv, type Env } from "@/lib/core/env";

/** Variables as a server would be started with them: "" or undefined leaves one unset. */
export type EnvVars = Record<string, string | undefined>;

// The variables given by the replacements in force, newest last, on top of process.env.
let overrides: EnvVars = {};

/**
 * Runs the rest of the current test as if the server had been started with
 * `vars` on top of this process's variables: `env` (lib/core/env.ts) is parsed
 * again by `parseEnv`, so defaults and start-up checks apply as in production,
 * and put back when the test finishes. Code sees the change wherever it reads
 * `env` when it runs; a value taken from `env` at import keeps its first value.
 */
export function setEnv(vars: EnvVars): void {
  onTestFinished(replaceEnv(vars));
}

/** `setEnv` for several tests: call it in `beforeAll` and hand what it returns to `afterAll`. */
export function replaceEnv(vars: EnvVars): () => void {
  const previous = { values: { ...env }, overrides };
  overrides = { ...overrides, ...vars };
  assignEnv(parseEnv({ ...process.env, ...overrides }));
  return () => {
    overrides = previous.overrides;
    assignEnv(previous.values);
  };
}

// In place: every module holds the same `env` object.
function assignEnv(values: Env) {
  const target = env as Record<string, unknown>;
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, values);
}
