/**
 * `npm run db:seed`: a demo user and a few published recipes, offline (no
 * provider is called). Safe to run twice. Stop `npm run dev` first when you use
 * the embedded database: only one process may open it.
 */
import "./load-env";
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { hashPassword } from "better-auth/crypto";
import { eq } from "drizzle-orm";
import { closeDatabase, db, schema, type Database } from "@/lib/db";

export const demoUser = { name: "Demo Cook", email: "demo@example.com", password: "demo-password" };

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

/** Adds the demo user (confirmed, so it signs in with its password at once) and its recipes, unless present. */
export async function seed(database: Database = db) {
  let [user] = await database.select().from(schema.user).where(eq(schema.user.email, demoUser.email));
  if (!user) {
    // The rows Better Auth's sign-up writes (its own password hash), without its hooks: a seed sends no email.
    [user] = await database
      .insert(schema.user)
      .values({ id: randomUUID(), name: demoUser.name, email: demoUser.email, emailVerified: true })
      .returning();
    await database.insert(schema.account).values({
      id: randomUUID(),
      accountId: user!.id,
      providerId: "credential",
      userId: user!.id,
      password: await hashPassword(demoUser.password),
    });
  } else if (!user.emailVerified) {
    // Sign-in asks for a confirmed address: a demo user seeded before that rule is confirmed now.
    await database.update(schema.user).set({ emailVerified: true }).where(eq(schema.user.id, user.id));
  }
  const existing = await database.$count(schema.recipes, eq(schema.recipes.userId, user!.id));
  if (existing === 0) {
    await database
      .insert(schema.recipes)
      .values(demoRecipes.map((recipe) => ({ ...recipe, userId: user!.id, published: true, publishedAt: new Date() })));
  }
  return user!;
}

// Run as `npm run db:seed`; imported by its test.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  seed()
    .then(async () => {
      console.log(`Seeded: sign in as ${demoUser.email} / ${demoUser.password}`);
      await closeDatabase();
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
