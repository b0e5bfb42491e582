// Empty on purpose: without a file of its own, a build inside the repository picks up the project's
// instrumentation.ts (found from the workspace root), and the floor would pay the project's start-up and hooks.
export function register() {}
