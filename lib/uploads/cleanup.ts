import "server-only";
import { and, eq, getTableColumns, inArray, isNull, lt, or } from "drizzle-orm";
import { logger } from "@/lib/core/logger";
import { schema, type Executor } from "@/lib/db";
import type { Upload } from "@/lib/db/schema";
import { deleteObjects, getStorage, type Storage } from "@/lib/storage";
import { mayChangeRecipe } from "@/lib/teams/roles";
import { checkedPhotoKey, requireStorage } from "./errors";

const { recipes, uploads } = schema;

/** Pending uploads older than this were abandoned: the cleanup deletes them and their objects. */
export const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes the objects (the upload's, and the checked copy a completed one was moved to), then their
 * rows (a failure leaves the rows for the cleanup to retry).
 */
export async function discardUploads(db: Executor, storage: Storage, rows: Pick<Upload, "id" | "key">[]) {
  if (!rows.length) return;
  await deleteObjects(
    storage,
    rows.flatMap((row) => [row.key, checkedPhotoKey(row.key)]),
  );
  await db.delete(uploads).where(
    inArray(
      uploads.id,
      rows.map((row) => row.id),
    ),
  );
}

export async function discardUploadsQuietly(db: Executor, storage: Storage, rows: Pick<Upload, "id" | "key">[]) {
  try {
    await discardUploads(db, storage, rows);
  } catch (error) {
    logger.warn({ err: error, uploadIds: rows.map((row) => row.id) }, "photo deletion failed: the cleanup retries it");
  }
}

/** Removes a recipe's photo (the "Remove photo" button), if the caller may change the recipe. */
export async function removeRecipePhoto(db: Executor, userId: string, recipeId: string) {
  const rows = await db
    .select(getTableColumns(uploads))
    .from(uploads)
    .innerJoin(recipes, eq(recipes.id, uploads.recipeId))
    .where(and(eq(uploads.recipeId, recipeId), eq(uploads.status, "attached"), mayChangeRecipe(userId)));
  if (!rows.length) return false;
  await db
    .update(uploads)
    .set({ recipeId: null })
    .where(
      inArray(
        uploads.id,
        rows.map((row) => row.id),
      ),
    );
  await discardUploadsQuietly(db, await requireStorage(), rows);
  return true;
}

/**
 * Deletes photos no recipe holds any more (the recipe was deleted, or the
 * photo replaced). Called right after a recipe is deleted; never throws, since
 * the scheduled cleanup retries whatever is left.
 */
export async function removeDetachedPhotos(db: Executor, teamId: string) {
  const rows = await db
    .select({ id: uploads.id, key: uploads.key })
    .from(uploads)
    .where(and(eq(uploads.organizationId, teamId), isNull(uploads.recipeId)));
  if (!rows.length) return;
  const storage = await getStorage().catch(() => null);
  if (storage) await discardUploadsQuietly(db, storage, rows);
}

/**
 * For deleting a team (with the account it belongs to, or on its own; call it BEFORE deleting the
 * team row, whose cascade would drop these rows): deletes every object of the team, then the rows.
 * Throws if the bucket cannot be reached, so the caller can retry.
 */
export async function deleteTeamUploads(db: Executor, teamId: string): Promise<number> {
  const rows = await db
    .select({ id: uploads.id, key: uploads.key })
    .from(uploads)
    .where(eq(uploads.organizationId, teamId));
  if (!rows.length) return 0;
  await discardUploads(db, await requireStorage(), rows);
  return rows.length;
}

export type StaleUploadCounts = { removed: number; failed: number };

/**
 * The scheduled cleanup: pending uploads older than a day (abandoned) and
 * photos no recipe holds, with their objects, in batches until the deadline.
 */
export async function removeStaleUploads(
  db: Executor,
  { now = new Date(), deadline = Number.POSITIVE_INFINITY, batchSize = 100 } = {},
): Promise<StaleUploadCounts> {
  const counts: StaleUploadCounts = { removed: 0, failed: 0 };
  const seen = new Set<string>();
  while (Date.now() < deadline) {
    const rows = (
      await db
        .select({ id: uploads.id, key: uploads.key })
        .from(uploads)
        .where(
          or(
            and(eq(uploads.status, "pending"), lt(uploads.createdAt, new Date(now.getTime() - STALE_UPLOAD_MS))),
            and(eq(uploads.status, "attached"), isNull(uploads.recipeId)),
          ),
        )
        .limit(batchSize)
    ).filter((row) => !seen.has(row.id));
    if (!rows.length) break;
    // Only now: a sweep with nothing to clean never starts the local server.
    const storage = await getStorage();
    if (!storage) break;
    for (const row of rows) {
      seen.add(row.id);
      try {
        await discardUploads(db, storage, [row]);
        counts.removed++;
      } catch (error) {
        counts.failed++;
        logger.warn({ err: error, uploadId: row.id }, "stale upload not removed: retried on the next run");
      }
    }
  }
  return counts;
}
