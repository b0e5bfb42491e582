/**
 * `npm run db:seed`: a demo user and a few published recipes, offline (no
 * provider is called). Safe to run twice. Stop `npm run dev` first when you use
 * the embedded database: only one process may open it.
 */
import "./load-env";
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { eq } from "drizzle-orm";
import { closeDatabase, db, schema } from "@/lib/db";

export const demoUser = { name: "Demo Cook", email: "demo@example.com", password: "demo-password" };

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
  {
    title: "Lemon chickpea salad",
    description: "A lunch that keeps for three days.",
    ingredients: ["2 tins chickpeas", "1 lemon", "Parsley", "Cucumber", "Feta"],
  },
];

async function main() {
  let [user] = await db.select().from(schema.user).where(eq(schema.user.email, demoUser.email));
  if (!user) {
    // The rows Better Auth's sign-up writes (its own password hash), without its hooks: a seed sends no welcome email.
    [user] = await db
      .insert(schema.user)
      .values({ id: randomUUID(), name: demoUser.name, email: demoUser.email, emailVerified: true })
      .returning();
    await db.insert(schema.account).values({
      id: randomUUID(),
      accountId: user!.id,
      providerId: "credential",
      userId: user!.id,
      password: await hashPassword(demoUser.password),
    });
  }
  const existing = await db.$count(schema.recipes, eq(schema.recipes.userId, user!.id));
  if (existing === 0) {
    await db
      .insert(schema.recipes)
      .values(demoRecipes.map((recipe) => ({ ...recipe, userId: user!.id, published: true, publishedAt: new Date() })));
  }
  console.log(`Seeded: sign in as ${demoUser.email} / ${demoUser.password}`);
  await closeDatabase();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
