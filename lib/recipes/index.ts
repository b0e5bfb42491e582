import "server-only";
import { and, desc, eq, getTableColumns } from "drizzle-orm";
import { countRecipes, getUserPlan } from "@/lib/billing/plans";
import { schema, type Executor } from "@/lib/db";
import { removeDetachedPhotos } from "@/lib/uploads";
import { publishRealtimeEvent, type RealtimeEventData } from "@/lib/realtime";
import { requireVerifiedEmail } from "@/lib/verified-email";
import type { RecipeInput } from "./schema";

const { recipes, uploads, user } = schema;

/**
 * The page that lists published recipes: `/`, a static page in Next's cache.
 * Every change that can alter the list expires it with
 * `revalidatePath(PUBLISHED_LIST_PATH)`, so it is right on the next request.
 */
export const PUBLISHED_LIST_PATH = "/";

export class RecipeNotFoundError extends Error {
  constructor() {
    super("Recipe not found.");
    this.name = "RecipeNotFoundError";
  }
}

/** The author's plan holds no more recipes: nothing was stored. */
export class RecipeLimitReachedError extends Error {
  constructor(
    readonly planName: string,
    readonly limit: number,
  ) {
    super(`The ${planName} plan holds ${limit} recipes.`);
    this.name = "RecipeLimitReachedError";
  }
}

/** Tells the owner's other tabs, in the transaction that made the change. */
const announceRecipeChange = (
  tx: Executor,
  userId: string,
  recipeId: string,
  change: RealtimeEventData["recipe.changed"]["change"],
) => publishRealtimeEvent(tx, { userId }, "recipe.changed", { recipeId, change });

// Every query below is scoped by owner: another user's id simply matches no row.

/**
 * The dashboard's list: the owner's recipes, newest first, each with its photo's upload id (null without one), in
 * one query. Attaching a photo detaches the previous one (lib/uploads), so a recipe joins at most one attached upload.
 */
export function listRecipesWithPhotosForUser(db: Executor, userId: string) {
  return db
    .select({ ...getTableColumns(recipes), photoId: uploads.id })
    .from(recipes)
    .leftJoin(uploads, and(eq(uploads.recipeId, recipes.id), eq(uploads.status, "attached")))
    .where(eq(recipes.userId, userId))
    .orderBy(desc(recipes.createdAt));
}

export async function getRecipeForUser(db: Executor, userId: string, id: string) {
  const [recipe] = await db
    .select()
    .from(recipes)
    .where(and(eq(recipes.id, id), eq(recipes.userId, userId)));
  return recipe ?? null;
}

/** Stores a new recipe if the author's plan has room for it; throws `RecipeLimitReachedError` otherwise. */
export async function createRecipe(db: Executor, userId: string, input: RecipeInput) {
  return db.transaction(async (tx) => {
    // Lock the author's row: two creates at once queue here, so the second counts the first one's recipe.
    await tx.select({ id: user.id }).from(user).where(eq(user.id, userId)).for("update");
    const { plan } = await getUserPlan(tx, userId);
    if (plan.recipeLimit !== null && (await countRecipes(tx, userId)) >= plan.recipeLimit) {
      throw new RecipeLimitReachedError(plan.name, plan.recipeLimit);
    }
    const [recipe] = await tx
      .insert(recipes)
      .values({ ...input, userId })
      .returning();
    await announceRecipeChange(tx, userId, recipe!.id, "created");
    return recipe!;
  });
}

/** Changes one of the owner's recipes and tells their other tabs; throws `RecipeNotFoundError` if it is not theirs. */
function changeOwnRecipe(
  db: Executor,
  userId: string,
  id: string,
  values: Partial<typeof recipes.$inferInsert>,
  change: RealtimeEventData["recipe.changed"]["change"],
) {
  return db.transaction(async (tx) => {
    const [recipe] = await tx
      .update(recipes)
      .set(values)
      .where(and(eq(recipes.id, id), eq(recipes.userId, userId)))
      .returning();
    if (!recipe) throw new RecipeNotFoundError();
    await announceRecipeChange(tx, userId, recipe.id, change);
    return recipe;
  });
}

export function updateRecipe(db: Executor, userId: string, id: string, input: RecipeInput) {
  return changeOwnRecipe(db, userId, id, input, "updated");
}

/** Publishing needs a confirmed address (`EmailNotVerifiedError`); unpublishing never does. */
export async function setRecipePublished(db: Executor, userId: string, id: string, published: boolean) {
  if (published) await requireVerifiedEmail(db, userId, "publishing recipes");
  return changeOwnRecipe(
    db,
    userId,
    id,
    { published, publishedAt: published ? new Date() : null },
    published ? "published" : "unpublished",
  );
}

export async function deleteRecipe(db: Executor, userId: string, id: string) {
  const recipe = await db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(recipes)
      .where(and(eq(recipes.id, id), eq(recipes.userId, userId)))
      .returning();
    if (!deleted) throw new RecipeNotFoundError();
    await announceRecipeChange(tx, userId, deleted.id, "deleted");
    return deleted;
  });
  // The photo's row lost its recipe with the delete: its object goes now (or with the next cleanup).
  await removeDetachedPhotos(db, userId);
  return recipe;
}

/**
 * The landing page's list: published recipes with their author's name and their photo's upload id (null without
 * one), newest first, in one query (as the dashboard's list joins its photos).
 */
export function listPublishedRecipesWithPhotos(db: Executor, limit = 24) {
  return db
    .select({
      id: recipes.id,
      title: recipes.title,
      description: recipes.description,
      ingredients: recipes.ingredients,
      publishedAt: recipes.publishedAt,
      author: user.name,
      photoId: uploads.id,
    })
    .from(recipes)
    .innerJoin(user, eq(user.id, recipes.userId))
    .leftJoin(uploads, and(eq(uploads.recipeId, recipes.id), eq(uploads.status, "attached")))
    .where(eq(recipes.published, true))
    .orderBy(desc(recipes.publishedAt))
    .limit(limit);
}
