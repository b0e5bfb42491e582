import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

/** A fresh migrated database beside DATABASE_URL's, `<name>_<suffix>`: its URL and name. */
export async function freshDatabase(url: string, suffix: string): Promise<{ url: string; name: string }> {
  const target = new URL(url);
  const name = `${decodeURIComponent(target.pathname.slice(1))}_${suffix}`;
  target.pathname = `/${name}`;
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const client = postgres(target.toString(), { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle({ client }), { migrationsFolder: "drizzle" });
  } finally {
    await client.end();
  }
  return { url: target.toString(), name };
}
