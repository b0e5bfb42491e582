import postgres from "postgres";

/** The local PostgreSQL server the script and build tests create their own databases on. */
export const postgresServerUrl = "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * Whether that server answers, for `describe.skipIf(!reachable)`. CI must have
 * it, so there a missing server is an error; elsewhere `what` is skipped with a warning.
 */
export async function postgresServerReachable(what: string): Promise<boolean> {
  const client = postgres(postgresServerUrl, { max: 1, connect_timeout: 2, onnotice: () => {} });
  let reachable = true;
  try {
    await client`select 1`;
  } catch {
    reachable = false;
  } finally {
    await client.end();
  }
  if (!reachable && process.env.CI === "true") throw new Error(`CI needs PostgreSQL at ${postgresServerUrl}`);
  if (!reachable) console.warn(`[tests] skipping ${what}: no PostgreSQL at ${postgresServerUrl}`);
  return reachable;
}
