/**
 * `npm run db:seed`: a demo user and a few published recipes, offline (no
 * provider is called). Safe to run twice. Stop `npm run dev` first when you use
 * the embedded database: only one process may open it.
 */
import "./load-env";
import { randomBytes, randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { hashPassword } from "better-auth/crypto";
import { eq } from "drizzle-orm";
import { isOperator, mirrorOperatorRole } from "@/lib/auth/operators";
import { DEV_ADMIN_EMAIL } from "@/lib/core/env";
import { closeDatabase, db, schema, type Database } from "@/lib/db";
import { createPersonalTeam, INVITATION_LIFETIME_MS, personalTeamOf } from "@/lib/teams";

/** Under `npm run dev` without ADMIN_EMAILS the demo user is the operator (/admin): lib/core/env.ts names its address. */
export const demoUser = { name: "Demo Cook", email: DEV_ADMIN_EMAIL, password: "demo-password" };
/** The second member of the demo team, and the address with an invitation waiting. */
export const demoTeammate = { name: "Sam Sous-Chef", email: "sam@example.com", password: "demo-password" };
export const demoTeam = { name: "Demo Kitchen", slug: "demo-kitchen", invited: "guest@example.com" };

// Two, below Free's limit of three, so the README's "New recipe" step works for the demo user too.
const demoRecipes = [
  {
    title: "Weeknight tomato soup",
    description: "Twenty minutes, one pot, and a blender.",
    ingredients: ["800 g canned tomatoes", "1 onion", "2 cloves garlic", "500 ml stock", "Olive oil, salt"],
  },
  {
    title: "No-knead bread",
    description: "Mix at night, bake in the morning.",
    ingredients: ["500 g flour", "10 g salt", "2 g yeast", "375 ml water"],
  },
];

/**
 * A confirmed account with a password and its personal team, as Better Auth's sign-up and its hook
 * would write them, but without the hooks: a seed sends no email. Returns the user and the team.
 */
async function seedUser(database: Database, person: { name: string; email: string; password: string }) {
  let [user] = await database.select().from(schema.user).where(eq(schema.user.email, person.email));
  if (!user) {
    [user] = await database
      .insert(schema.user)
      .values({ id: randomUUID(), name: person.name, email: person.email, emailVerified: true })
      .returning();
    await database.insert(schema.account).values({
      id: randomUUID(),
      accountId: user!.id,
      providerId: "credential",
      userId: user!.id,
      password: await hashPassword(person.password),
    });
  } else if (!user.emailVerified) {
    // Sign-in asks for a confirmed address: a demo user seeded before that rule is confirmed now.
    await database.update(schema.user).set({ emailVerified: true }).where(eq(schema.user.id, user.id));
  }
  const team = (await personalTeamOf(database, user!.id)) ?? (await createPersonalTeam(database, user!));
  return { user: user!, team };
}

/**
 * The demo: Demo Cook with two published recipes in their personal team, and a team (Demo Kitchen)
 * they own with a second member and a pending invitation, so the team pages show something at once.
 * Safe to run twice.
 */
export async function seed(database: Database = db) {
  const { user, team } = await seedUser(database, demoUser);
  // Confirmed above; an operator whenever ADMIN_EMAILS lists the address, which `npm run dev` does by default.
  await mirrorOperatorRole(database, { ...user, emailVerified: true });
  const existing = await database.$count(schema.recipes, eq(schema.recipes.organizationId, team.id));
  if (existing === 0) {
    await database.insert(schema.recipes).values(
      demoRecipes.map((recipe) => ({
        ...recipe,
        organizationId: team.id,
        createdBy: user.id,
        published: true,
        publishedAt: new Date(),
      })),
    );
  }
  const { user: teammate } = await seedUser(database, demoTeammate);
  let [kitchen] = await database.select().from(schema.organization).where(eq(schema.organization.slug, demoTeam.slug));
  if (!kitchen) {
    [kitchen] = await database
      .insert(schema.organization)
      .values({ id: randomUUID(), name: demoTeam.name, slug: demoTeam.slug })
      .returning();
    await database.insert(schema.member).values([
      { id: randomUUID(), organizationId: kitchen!.id, userId: user.id, role: "owner" },
      { id: randomUUID(), organizationId: kitchen!.id, userId: teammate.id, role: "member" },
    ]);
    await database.insert(schema.invitation).values({
      id: randomBytes(24).toString("base64url"),
      organizationId: kitchen!.id,
      email: demoTeam.invited,
      role: "member",
      expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS),
      inviterId: user.id,
    });
  }
  return user;
}

// Run as `npm run db:seed`; imported by its test.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  seed()
    .then(async () => {
      console.log(`Seeded: sign in as ${demoUser.email} / ${demoUser.password}`);
      if (isOperator({ email: demoUser.email, emailVerified: true }))
        console.log(`${demoUser.email} is an operator: /admin (ADMIN_EMAILS, docs/admin.md)`);
      await closeDatabase();
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
