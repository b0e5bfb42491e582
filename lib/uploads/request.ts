import "server-only";
import { and, count, eq, gt, or, sql, sum } from "drizzle-orm";
import { getTeamPlan } from "@/lib/billing/plans";
import { mayChangeRecipe } from "@/lib/teams/roles";
import { schema, type Executor } from "@/lib/db";
import { presignUpload, storageAvailable } from "@/lib/storage";
import { STALE_UPLOAD_MS } from "./cleanup";
import { keyFor, requireStorage, UploadRefusedError } from "./errors";
import { PHOTO_MAX_BYTES, isPhotoType, type UploadRequest } from "./schema";

const { organization, recipes, uploads } = schema;

/** False only in production without a bucket: the pages then hide the photo picker. */
export const photoUploadsAvailable = storageAvailable;
/** How long the browser has to post the file once the server signed the policy. */
export const UPLOAD_POLICY_SECONDS = 60;
/** Unfinished uploads one user may have open at once: a burst past this is refused with 429. */
export const MAX_PENDING_UPLOADS = 10;

/** Bytes the team's photos take: attached ones, plus pending ones still within their day. */
async function photoBytesInUse(db: Executor, teamId: string, now: Date, exceptRecipeId?: string) {
  const [row] = await db
    .select({ bytes: sum(uploads.size) })
    .from(uploads)
    .where(
      and(
        eq(uploads.organizationId, teamId),
        or(eq(uploads.status, "attached"), gt(uploads.createdAt, new Date(now.getTime() - STALE_UPLOAD_MS))),
        // The photo being replaced is about to go: it does not count against its replacement.
        exceptRecipeId
          ? sql`not (${uploads.status} = 'attached' and ${uploads.recipeId} = ${exceptRecipeId})`
          : undefined,
      ),
    );
  return Number(row?.bytes ?? 0);
}

export type PhotoUsage = { usedBytes: number; limitBytes: number };

export async function getPhotoUsage(db: Executor, teamId: string, now = new Date()): Promise<PhotoUsage> {
  const { plan } = await getTeamPlan(db, teamId);
  return { usedBytes: await photoBytesInUse(db, teamId, now), limitBytes: plan.photoStorageBytes };
}

/**
 * Step 1 of an upload: checks the caller may change the recipe (its author, or
 * a team admin), the file's declared size and type, and the team's plan's room,
 * then records a pending upload and signs a POST policy for exactly that key,
 * size range and type.
 */
export async function requestPhotoUpload(
  db: Executor,
  userId: string,
  { recipeId, contentType, size }: UploadRequest,
  { now = new Date(), expiresSeconds = UPLOAD_POLICY_SECONDS } = {},
) {
  if (!isPhotoType(contentType))
    throw new UploadRefusedError("unsupported-type", "Photos must be JPEG, PNG or WebP images.");
  if (size > PHOTO_MAX_BYTES)
    throw new UploadRefusedError("too-large", `Photos can be at most ${PHOTO_MAX_BYTES / 1024 / 1024} MiB.`);
  const storage = await requireStorage();

  const key = await db.transaction(async (tx) => {
    const [recipe] = await tx
      .select({ id: recipes.id, teamId: recipes.organizationId })
      .from(recipes)
      .where(and(eq(recipes.id, recipeId), mayChangeRecipe(userId)));
    if (!recipe) throw new UploadRefusedError("recipe-not-found", "That recipe does not exist or is not yours.");
    // Lock the team's row: two requests at once queue here, so each counts the other's bytes.
    await tx.select({ id: organization.id }).from(organization).where(eq(organization.id, recipe.teamId)).for("update");

    const [pending] = await tx
      .select({ open: count() })
      .from(uploads)
      .where(
        and(
          eq(uploads.userId, userId),
          eq(uploads.status, "pending"),
          gt(uploads.createdAt, new Date(now.getTime() - STALE_UPLOAD_MS)),
        ),
      );
    if ((pending?.open ?? 0) >= MAX_PENDING_UPLOADS)
      throw new UploadRefusedError("limit-reached", "Too many unfinished uploads. Finish or retry them later.");

    const { plan } = await getTeamPlan(tx, recipe.teamId);
    const used = await photoBytesInUse(tx, recipe.teamId, now, recipeId);
    if (used + size > plan.photoStorageBytes) {
      throw new UploadRefusedError(
        "limit-reached",
        `The ${plan.name} plan holds ${Math.round(plan.photoStorageBytes / 1024 / 1024)} MiB of photos. Remove a photo or upgrade.`,
      );
    }
    const key = keyFor(recipe.teamId);
    await tx.insert(uploads).values({
      key,
      organizationId: recipe.teamId,
      userId,
      recipeId,
      contentType,
      size,
      status: "pending",
      expiresAt: new Date(now.getTime() + expiresSeconds * 1000),
      createdAt: now,
    });
    return key;
  });

  const post = await presignUpload(storage, { key, contentType, maxBytes: PHOTO_MAX_BYTES, expiresSeconds });
  return { ...post, key };
}
