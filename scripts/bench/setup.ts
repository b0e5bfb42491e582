/**
 * Run by the benchmark (`tsx --conditions=react-server scripts/bench/setup.ts <out.json> [members]`) in the
 * server's environment, after the seed and before the server starts (an embedded database has one
 * owner at a time): the demo user's personal team on Pro (so API writes meet no plan limit), an API
 * key for it, and, when `members` is given, a team of that many members owned by the demo user. What
 * the benchmark needs from it (the key, the teams' paths) is written to `out.json`.
 */
import "../load-env";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { createApiKey } from "@/lib/api";
import { closeDatabase, db, schema } from "@/lib/db";
import { personalTeamOf } from "@/lib/teams";
import { demoUser } from "../seed";

export type BenchSetup = {
  apiKey: string;
  teamPath: string;
  /** Set when a member count was asked for: a team of that many members, and one of the owner alone. */
  bigTeamPath?: string;
  smallTeamPath?: string;
};

async function teamOfMembers(ownerId: string, name: string, slug: string, members: number) {
  const [team] = await db.insert(schema.organization).values({ id: randomUUID(), name, slug }).returning();
  await db.insert(schema.member).values({ id: randomUUID(), organizationId: team!.id, userId: ownerId, role: "owner" });
  // In slices: one statement per 500 rows keeps under PostgreSQL's parameter limit.
  for (let start = 1; start < members; start += 500) {
    const users = Array.from({ length: Math.min(500, members - start) }, (_, i) => ({
      id: randomUUID(),
      name: `Cook ${start + i}`,
      email: `cook-${start + i}@${slug}.bench.test`,
      emailVerified: true,
    }));
    await db.insert(schema.user).values(users);
    await db
      .insert(schema.member)
      .values(
        users.map((user) => ({ id: randomUUID(), organizationId: team!.id, userId: user.id, role: "member" as const })),
      );
  }
  return `/t/${team!.slug}`;
}

async function main() {
  const [out, members] = process.argv.slice(2);
  if (!out) throw new Error("usage: setup.ts <out.json> [members]");
  const [owner] = await db.select().from(schema.user).where(eq(schema.user.email, demoUser.email));
  if (!owner) throw new Error("the demo user is missing: run the seed first");
  const personal = await personalTeamOf(db, owner.id);
  if (!personal) throw new Error("the demo user has no personal team");
  // The API writes go to a team of their own, on Pro (no recipe limit), so the recipes they add never
  // weigh on the personal team's page, which the dashboard rows measure.
  const suffix = randomUUID().slice(0, 8);
  const [apiTeam] = await db
    .insert(schema.organization)
    .values({ id: randomUUID(), name: "Bench API team", slug: `bench-api-${suffix}` })
    .returning();
  await db
    .insert(schema.member)
    .values({ id: randomUUID(), organizationId: apiTeam!.id, userId: owner.id, role: "owner" });
  await db.insert(schema.subscriptions).values({
    id: `sub_bench_${apiTeam!.id}`,
    organizationId: apiTeam!.id,
    customerId: `cus_bench_${apiTeam!.id}`,
    status: "active",
    lastEventAt: new Date(),
  });
  const { key } = await createApiKey(
    db,
    { teamId: apiTeam!.id, userId: owner.id },
    { name: "bench", scopes: ["recipes:read", "recipes:write"], expiresInDays: null },
  );
  const setup: BenchSetup = { apiKey: key, teamPath: `/t/${personal.slug}` };
  if (members) {
    setup.bigTeamPath = await teamOfMembers(owner.id, "Bench big team", `bench-big-${suffix}`, Number(members));
    setup.smallTeamPath = await teamOfMembers(owner.id, "Bench small team", `bench-small-${suffix}`, 1);
  }
  writeFileSync(out, JSON.stringify(setup));
}

main()
  .then(() => closeDatabase())
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
