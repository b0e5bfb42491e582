/**
 * Stand-in for `next/server`'s `connection()` in Vitest (the rest of the module
 * is the real one): outside a request it throws, and a Route Handler that
 * streams calls it first. The real one is exercised under `next start` (e2e).
 */
export async function connection(): Promise<void> {}
