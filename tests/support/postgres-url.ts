/** Test databases cloned from DATABASE_URL are named `<database>_file_<id>`. */
export const TEST_DATABASE_SUFFIX = "_file_";

export function databaseName(url: string) {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

export function withDatabase(url: string, name: string) {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(name)}`;
  return next.toString();
}

/** The maintenance database, for CREATE/DROP DATABASE. */
export const adminUrl = (url: string) => withDatabase(url, "postgres");
