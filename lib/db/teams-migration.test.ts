import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "@/lib/db";
import { withDatabase } from "@/tests/support/postgres-url";

/**
 * The teams migration (drizzle/0007_teams.sql) on a database with data in it: every user gets a
 * personal team that owns what they owned, and nothing is lost or orphaned.
 */

const TEAMS_MIGRATION = "0007_teams";

/** A copy of drizzle/ holding only the migrations before the teams one: the database as it was. */
function migrationsBeforeTeams(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-before-teams-"));
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8"));
  const cut = journal.entries.findIndex((entry: { tag: string }) => entry.tag === TEAMS_MIGRATION);
  journal.entries = journal.entries.slice(0, cut);
  fs.mkdirSync(path.join(folder, "meta"));
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify(journal));
  for (const { tag } of journal.entries)
    fs.copyFileSync(path.join(migrationsFolder, `${tag}.sql`), path.join(folder, `${tag}.sql`));
  return folder;
}

type Run = (statement: string) => Promise<Record<string, unknown>[]>;

const users = ["ann", "bob", "cleo"].map((name) => ({ id: `user_${name}_${randomUUID().slice(0, 8)}`, name }));

/** Rows of every kind a user owned before teams, as the old schema held them. */
async function seedOldSchema(run: Run) {
  for (const [index, { id, name }] of users.entries()) {
    const customer = index === 0 ? `'cus_${name}'` : "null";
    await run(
      `insert into "user" (id, name, email, email_verified, stripe_customer_id)
       values ('${id}', '${name}', '${name}@example.test', true, ${customer})`,
    );
    for (let i = 0; i < index + 2; i++)
      await run(`insert into recipes (user_id, title, published) values ('${id}', '${name} soup ${i}', ${i === 0})`);
    await run(
      `insert into ai_generations (user_id, kind, model, status) values ('${id}', 'recipe-draft', 'offline:sample-drafts', 'succeeded')`,
    );
    await run(
      `insert into uploads (key, user_id, recipe_id, content_type, size, status, expires_at)
       select '${id}/' || gen_random_uuid(), '${id}', id, 'image/png', 100, 'attached', now() from recipes where user_id = '${id}' limit 1`,
    );
  }
  await run(
    `insert into subscriptions (id, user_id, customer_id, status, last_event_at)
       values ('sub_ann', '${users[0]!.id}', 'cus_ann', 'active', now())`,
  );
  // A payment record whose user already deleted their account: it stays, with no team.
  await run(
    `insert into subscriptions (id, user_id, customer_id, status, last_event_at) values ('sub_gone', null, 'cus_gone', 'canceled', now())`,
  );
}

async function counts(run: Run) {
  const count = async (table: string) => Number((await run(`select count(*)::int as n from ${table}`))[0]!.n);
  return {
    recipes: await count("recipes"),
    subscriptions: await count("subscriptions"),
    aiGenerations: await count("ai_generations"),
    uploads: await count("uploads"),
    users: await count(`"user"`),
  };
}

async function expectMigratedTeams(run: Run) {
  // One personal team per user, owned by them, and nothing else in it.
  const teams = await run(
    `select o.id, o.personal, o.stripe_customer_id, o.metadata, m.user_id, m.role
       from organization o join member m on m.organization_id = o.id order by m.user_id`,
  );
  expect(teams).toHaveLength(users.length);
  expect(teams.every((team) => team.personal === true && team.role === "owner" && team.metadata === null)).toBe(true);
  const teamOf = new Map(teams.map((team) => [team.user_id as string, team.id as string]));
  expect([...teamOf.keys()].sort()).toEqual(users.map((user) => user.id).sort());
  // The Stripe customer moved to the team.
  expect(teams.find((team) => team.user_id === users[0]!.id)!.stripe_customer_id).toBe("cus_ann");

  // Every recipe, generation and photo now belongs to its user's personal team; authorship is kept.
  for (const { id } of users) {
    const recipes = await run(`select organization_id, created_by from recipes where created_by = '${id}'`);
    expect(recipes.length).toBeGreaterThan(0);
    expect(recipes.every((recipe) => recipe.organization_id === teamOf.get(id))).toBe(true);
    const generations = await run(`select organization_id from ai_generations where user_id = '${id}'`);
    expect(generations.map((row) => row.organization_id)).toEqual([teamOf.get(id)]);
    const photos = await run(`select organization_id from uploads where user_id = '${id}'`);
    expect(photos.map((row) => row.organization_id)).toEqual([teamOf.get(id)]);
  }
  const subscriptions = await run(`select id, organization_id, quantity from subscriptions order by id`);
  expect(subscriptions).toEqual([
    { id: "sub_ann", organization_id: teamOf.get(users[0]!.id), quantity: 1 },
    { id: "sub_gone", organization_id: null, quantity: 1 },
  ]);

  // Nothing orphaned: no recipe, generation or photo without a team.
  for (const table of ["recipes", "ai_generations", "uploads"]) {
    const orphans = await run(
      `select count(*)::int as n from ${table} t left join organization o on o.id = t.organization_id where o.id is null`,
    );
    expect(orphans[0]!.n).toBe(0);
  }
}

describe("the teams migration on a database with data in it", () => {
  const before = migrationsBeforeTeams();
  afterAll(() => fs.rmSync(before, { recursive: true, force: true }));

  it("on embedded PGlite: a personal team per user owns what they owned; counts equal, nothing orphaned", async () => {
    const client = new PGlite("memory://");
    const run: Run = async (statement) => (await client.query<Record<string, unknown>>(statement)).rows;
    try {
      await migratePglite(drizzlePglite({ client }), { migrationsFolder: before });
      await seedOldSchema(run);
      const beforeCounts = await counts(run);
      await migratePglite(drizzlePglite({ client }), { migrationsFolder });
      expect(await counts(run)).toEqual(beforeCounts);
      await expectMigratedTeams(run);
    } finally {
      await client.close();
    }
  });

  const adminUrl = process.env.DATABASE_URL;
  it.skipIf(!adminUrl)("on PostgreSQL: the same", async () => {
    const name = `teams_migration_${randomUUID().replaceAll("-", "")}`;
    const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const client = postgres(withDatabase(adminUrl!, name), { max: 1, onnotice: () => {} });
    const run: Run = (statement) => client.unsafe(statement) as unknown as Promise<Record<string, unknown>[]>;
    try {
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: before });
      await seedOldSchema(run);
      const beforeCounts = await counts(run);
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
      expect(await counts(run)).toEqual(beforeCounts);
      await expectMigratedTeams(run);
    } finally {
      await client.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
