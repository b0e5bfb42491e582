import "server-only";
import { and, desc, eq, getTableColumns, inArray, lt, or, sql } from "drizzle-orm";
import { countRecipes, getTeamPlan } from "@/lib/billing/plans";
import { AppError } from "@/lib/core/errors";
import { schema, transaction, type AfterCommit, type Executor } from "@/lib/db";
import { removeDetachedPhotos } from "@/lib/uploads";
import { publishRealtimeEvent, type RealtimeEventData } from "@/lib/realtime";
import { requireVerifiedEmail } from "@/lib/auth/verified-email";
import { mayChangeRecipe, memberMay } from "@/lib/teams/roles";
import { announceRecipeWebhook } from "@/lib/webhooks-out";
import { apiKeyActor, recordAudit, userActor } from "@/lib/audit";
import type { Recipe } from "@/lib/db/schema";
import type { RecipeInput } from "./schema";

const { organization, recipes, uploads, user } = schema;

/**
 * The page that lists published recipes: `/`, a static page in Next's cache.
 * Every change that can alter the list expires it with
 * `revalidatePath(PUBLISHED_LIST_PATH)`, so it is right on the next request.
 */
export const PUBLISHED_LIST_PATH = "/";

/** The team is not the caller's (or they were removed from it a moment ago). */
export class RecipeTeamNotFoundError extends AppError {
  constructor() {
    super("not-found", "No such team, or you are not a member of it.", { reason: "team-not-found" });
    this.name = "RecipeTeamNotFoundError";
  }
}

/** No such recipe, or not the caller's: the two look the same. */
export class RecipeNotFoundError extends AppError {
  constructor() {
    super("not-found", "That recipe does not exist or is not yours.", { reason: "recipe-not-found" });
    this.name = "RecipeNotFoundError";
  }
}

/** The author's plan holds no more recipes: nothing was stored. */
export class RecipeLimitReachedError extends AppError {
  constructor(
    readonly planName: string,
    readonly limit: number,
  ) {
    super(
      "limit-reached",
      `The ${planName} plan holds ${limit} recipes. Upgrade to Pro for unlimited recipes, or delete one first.`,
      { reason: "recipe-limit-reached", upgrade: true, details: { limit } },
    );
    this.name = "RecipeLimitReachedError";
  }
}

/**
 * Tells the team's open pages, and the team's webhook endpoints (`recipe.<change>`, sent once the
 * transaction has committed), in the transaction that made the change.
 */
async function announceRecipeChange(
  tx: Executor,
  afterCommit: AfterCommit,
  recipe: Recipe,
  change: RealtimeEventData["recipe.changed"]["change"],
) {
  await publishRealtimeEvent(tx, { teamId: recipe.organizationId }, "recipe.changed", { recipeId: recipe.id, change });
  await announceRecipeWebhook(tx, afterCommit, recipe, change);
}

// The changes the audit log records (edits and unpublishing are not in its catalog).
const auditedChanges = { created: "recipe.created", published: "recipe.published", deleted: "recipe.deleted" } as const;

/** The audit event of a change, last in its transaction (the chain's lock is held until the commit). */
async function auditRecipeChange(
  tx: Executor,
  actor: RecipeActor,
  recipe: Recipe,
  change: RealtimeEventData["recipe.changed"]["change"],
) {
  if (!(change in auditedChanges)) return;
  await recordAudit(tx, {
    teamId: recipe.organizationId,
    actor: actor.apiKey ? apiKeyActor(actor.apiKey) : await userActor(tx, actor.userId),
    action: auditedChanges[change as keyof typeof auditedChanges],
    target: { type: "recipe", id: recipe.id },
    metadata: { title: recipe.title },
  });
}

/**
 * Who is acting, in which team: every recipe read and write names both. Through the public API the
 * key acts (on its maker's rights), and the audit log names the key.
 */
export type RecipeActor = { teamId: string; userId: string; apiKey?: { id: string; name: string } };

/**
 * The authorization of a write to an existing recipe, in the statement that writes: the recipe is
 * in the team, and the caller is its author with write access or a member who manages the team's recipes.
 */
function mayChange(id: string, { teamId, userId }: RecipeActor) {
  return and(eq(recipes.id, id), eq(recipes.organizationId, teamId), mayChangeRecipe(userId));
}

/** Why a write that authorized itself changed nothing: no such recipe in the caller's team, or not theirs to change. */
async function changeRefusal(db: Executor, id: string, actor: RecipeActor) {
  const [recipe] = await db
    .select({ id: recipes.id })
    .from(recipes)
    .where(
      and(
        eq(recipes.id, id),
        eq(recipes.organizationId, actor.teamId),
        memberMay(recipes.organizationId, actor.userId, "recipes:write"),
      ),
    );
  return recipe
    ? new AppError("forbidden", "Only its author or the team's owners and admins can change this recipe.", {
        reason: "not-the-author",
      })
    : new RecipeNotFoundError();
}

/**
 * The team's list: its recipes, newest first, each with its photo's upload id (null without one) and
 * its author's name, in one query. The caller has checked the viewer is a member (`teamForMember`).
 * Attaching a photo detaches the previous one (lib/uploads), so a recipe joins at most one attached upload.
 */
export function listTeamRecipesWithPhotos(db: Executor, teamId: string) {
  return db
    .select({ ...getTableColumns(recipes), photoId: uploads.id, author: user.name })
    .from(recipes)
    .leftJoin(uploads, and(eq(uploads.recipeId, recipes.id), eq(uploads.status, "attached")))
    .leftJoin(user, eq(user.id, recipes.createdBy))
    .where(eq(recipes.organizationId, teamId))
    .orderBy(desc(recipes.createdAt));
}

/** Where a page of the team's recipes starts: after this recipe, in newest-first order. */
export type RecipePageCursor = { createdAt: string; id: string };

/**
 * A page of the team's recipes, newest first, for the public API: keyset pagination on
 * (created_at, id), so a recipe added while a client pages through is never returned twice and
 * none that existed when it started is skipped. Each row carries its own cursor (its creation time
 * to the microsecond, which a JavaScript Date would round).
 */
export async function listTeamRecipesPage(
  db: Executor,
  teamId: string,
  { limit, after }: { limit: number; after?: RecipePageCursor },
) {
  const createdAtExact = sql<string>`to_char(${recipes.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const rows = await db
    .select({ ...getTableColumns(recipes), createdAtExact })
    .from(recipes)
    .where(
      and(
        eq(recipes.organizationId, teamId),
        after
          ? or(
              lt(recipes.createdAt, sql`${after.createdAt}::timestamptz`),
              and(eq(recipes.createdAt, sql`${after.createdAt}::timestamptz`), lt(recipes.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(recipes.createdAt), desc(recipes.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    recipes: page,
    next: rows.length > limit && last ? { createdAt: last.createdAtExact, id: last.id } : null,
  };
}

/** One recipe of the team, if the caller is a member; with whether they may change it. */
export async function getRecipeForMember(db: Executor, actor: RecipeActor, id: string) {
  const [recipe] = await db
    .select({ ...getTableColumns(recipes), mayChange: sql<boolean>`${mayChange(id, actor)}` })
    .from(recipes)
    .where(
      and(
        eq(recipes.id, id),
        eq(recipes.organizationId, actor.teamId),
        memberMay(recipes.organizationId, actor.userId, "recipes:write"),
      ),
    );
  return recipe ?? null;
}

/** Stores a new recipe in the team if its plan has room for it; throws `RecipeLimitReachedError` otherwise. */
export async function createRecipe(db: Executor, actor: RecipeActor, input: RecipeInput) {
  return transaction(db, async (tx, afterCommit) => {
    // Lock the team's row, as a member only: two creates at once queue here, so the second counts the first
    // one's recipe, and a member removed a moment ago finds no team (membership changes take this lock too).
    const [team] = await tx
      .select({ id: organization.id })
      .from(organization)
      .where(and(eq(organization.id, actor.teamId), memberMay(organization.id, actor.userId, "recipes:write")))
      .for("update");
    if (!team) throw new RecipeTeamNotFoundError();
    const { plan } = await getTeamPlan(tx, team.id);
    if (plan.recipeLimit !== null && (await countRecipes(tx, team.id)) >= plan.recipeLimit) {
      throw new RecipeLimitReachedError(plan.name, plan.recipeLimit);
    }
    const [recipe] = await tx
      .insert(recipes)
      .values({ ...input, organizationId: team.id, createdBy: actor.userId })
      .returning();
    await announceRecipeChange(tx, afterCommit, recipe!, "created");
    await auditRecipeChange(tx, actor, recipe!, "created");
    return recipe!;
  });
}

/** The recipe changed since the caller read it: its version is not the one they named (`If-Match`). */
export class RecipeChangedError extends AppError {
  constructor(readonly currentVersion: number) {
    super("stale", "The recipe has changed since you read it: nothing was changed. Read it again and retry.", {
      reason: "recipe-changed",
      details: { current_version: currentVersion },
    });
    this.name = "RecipeChangedError";
  }
}

/** Only change the recipe if it is still at one of these versions (the public API's `If-Match`). */
export type VersionCondition = { ifVersion?: readonly number[] };

/**
 * Changes one of the team's recipes the caller may change, in one statement that also checks the
 * caller may (and, with `ifVersion`, that nobody changed it since), bumps its version, and tells
 * the team's open pages in the same transaction.
 */
function changeRecipe(
  db: Executor,
  actor: RecipeActor,
  id: string,
  values: Partial<typeof recipes.$inferInsert>,
  change: RealtimeEventData["recipe.changed"]["change"],
  { ifVersion }: VersionCondition = {},
) {
  return transaction(db, async (tx, afterCommit) => {
    const [recipe] = await tx
      .update(recipes)
      .set({ ...values, version: sql`${recipes.version} + 1` })
      .where(and(mayChange(id, actor), ifVersion ? inArray(recipes.version, [...ifVersion]) : undefined))
      .returning();
    if (!recipe) throw await changeOrVersionRefusal(tx, id, actor, ifVersion);
    await announceRecipeChange(tx, afterCommit, recipe, change);
    await auditRecipeChange(tx, actor, recipe, change);
    return recipe;
  });
}

async function changeOrVersionRefusal(db: Executor, id: string, actor: RecipeActor, ifVersion?: readonly number[]) {
  if (ifVersion) {
    const [current] = await db.select({ version: recipes.version }).from(recipes).where(mayChange(id, actor));
    if (current) return new RecipeChangedError(current.version);
  }
  return changeRefusal(db, id, actor);
}

export function updateRecipe(db: Executor, actor: RecipeActor, id: string, input: RecipeInput) {
  return changeRecipe(db, actor, id, input, "updated");
}

/** Publishing needs a confirmed address (`EmailNotVerifiedError`); unpublishing never does. */
export async function setRecipePublished(db: Executor, actor: RecipeActor, id: string, published: boolean) {
  return patchRecipe(db, actor, id, { published });
}

export type RecipePatch = Partial<RecipeInput> & { published?: boolean };

/**
 * Changes some of a recipe's fields and, with `published`, publishes or unpublishes it, under the
 * same rules as the forms (the caller may change it; publishing needs a confirmed address). The
 * public API's PATCH; the forms' edit and publish buttons are the two halves of it.
 */
export async function patchRecipe(
  db: Executor,
  actor: RecipeActor,
  id: string,
  { published, ...fields }: RecipePatch,
  condition: VersionCondition = {},
) {
  if (published) await requireVerifiedEmail(db, actor.userId, "publishing recipes");
  const publishing = published === undefined ? {} : { published, publishedAt: published ? new Date() : null };
  const change = published === undefined ? "updated" : published ? "published" : "unpublished";
  return changeRecipe(db, actor, id, { ...fields, ...publishing }, change, condition);
}

export async function deleteRecipe(db: Executor, actor: RecipeActor, id: string, { ifVersion }: VersionCondition = {}) {
  const recipe = await transaction(db, async (tx, afterCommit) => {
    const [deleted] = await tx
      .delete(recipes)
      .where(and(mayChange(id, actor), ifVersion ? inArray(recipes.version, [...ifVersion]) : undefined))
      .returning();
    if (!deleted) throw await changeOrVersionRefusal(tx, id, actor, ifVersion);
    await announceRecipeChange(tx, afterCommit, deleted, "deleted");
    await auditRecipeChange(tx, actor, deleted, "deleted");
    return deleted;
  });
  // The photo's row lost its recipe with the delete: its object goes now (or with the next cleanup).
  await removeDetachedPhotos(db, actor.teamId);
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
      // A deleted author's recipes stay with their team, unsigned.
      author: sql<string>`coalesce(${user.name}, 'A Recipe Box cook')`,
      photoId: uploads.id,
    })
    .from(recipes)
    .leftJoin(user, eq(user.id, recipes.createdBy))
    .leftJoin(uploads, and(eq(uploads.recipeId, recipes.id), eq(uploads.status, "attached")))
    .where(eq(recipes.published, true))
    .orderBy(desc(recipes.publishedAt))
    .limit(limit);
}
