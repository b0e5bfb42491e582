import "server-only";
import { randomUUID } from "node:crypto";
import { and, count, eq, gt, inArray, isNull, lt, or, sql, sum } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import { getUserPlan } from "@/lib/billing/plans";
import { schema, type Executor } from "@/lib/db";
import type { Upload } from "@/lib/db/schema";
import { logger } from "@/lib/logger";
import {
  deleteObjects,
  getStorage,
  storageAvailable,
  presignDownload,
  presignUpload,
  readObjectStart,
  statObject,
  type Storage,
} from "@/lib/storage";
import { PHOTO_MAX_BYTES, isPhotoType, type UploadRequest } from "./schema";

const { recipes, uploads, user } = schema;

/** False only in production without a bucket: the pages then hide the photo picker. */
export const photoUploadsAvailable = storageAvailable;

/** How long the browser has to post the file once the server signed the policy. */
export const UPLOAD_POLICY_SECONDS = 60;
/** Pending uploads older than this were abandoned: the cleanup deletes them and their objects. */
export const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;
/** How long a signed photo URL works; pages link to /api/photos/<id>, which signs a fresh one. */
export const PHOTO_URL_SECONDS = 300;
/** Unfinished uploads one user may have open at once: a burst past this is refused with 429. */
export const MAX_PENDING_UPLOADS = 10;
/** Clocks differ a little between the app and the bucket. */
const CLOCK_SKEW_MS = 5_000;
/** file-type's recommended sample: enough bytes to recognise any format it knows. */
const SNIFF_BYTES = 4100;

export type UploadRefusal =
  | "not-configured"
  | "recipe-not-found"
  | "upload-not-found"
  | "too-large"
  | "unsupported-type"
  | "limit-reached"
  | "bad-object";

/** Why a photo was refused; routes map `reason` to the contract's status codes. */
export class UploadRefusedError extends Error {
  constructor(
    readonly reason: UploadRefusal,
    message: string,
  ) {
    super(message);
    this.name = "UploadRefusedError";
  }
}

async function requireStorage(): Promise<Storage> {
  const storage = await getStorage();
  if (!storage) throw new UploadRefusedError("not-configured", "Photo uploads are not configured on this server.");
  return storage;
}

/** Keys are `<userId>/<uuid>`: a user can only ever be granted, or complete, their own. */
const keyFor = (userId: string) => `${userId}/${randomUUID()}`;
const ownsKey = (userId: string, key: string) => key.startsWith(`${userId}/`);

/** Bytes the user's photos take: attached ones, plus pending ones still within their day. */
async function photoBytesInUse(db: Executor, userId: string, now: Date, exceptRecipeId?: string) {
  const [row] = await db
    .select({ bytes: sum(uploads.size) })
    .from(uploads)
    .where(
      and(
        eq(uploads.userId, userId),
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

export async function getPhotoUsage(db: Executor, userId: string, now = new Date()): Promise<PhotoUsage> {
  const { plan } = await getUserPlan(db, userId);
  return { usedBytes: await photoBytesInUse(db, userId, now), limitBytes: plan.photoStorageBytes };
}

/**
 * Step 1 of an upload: checks the recipe is the caller's, the file's declared
 * size and type, and the plan's room, then records a pending upload and signs a
 * POST policy for exactly that key, size range and type.
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

  const key = keyFor(userId);
  await db.transaction(async (tx) => {
    // Lock the user's row: two requests at once queue here, so each counts the other's bytes.
    await tx.select({ id: user.id }).from(user).where(eq(user.id, userId)).for("update");
    const [recipe] = await tx
      .select({ id: recipes.id })
      .from(recipes)
      .where(and(eq(recipes.id, recipeId), eq(recipes.userId, userId)));
    if (!recipe) throw new UploadRefusedError("recipe-not-found", "That recipe does not exist or is not yours.");

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

    const { plan } = await getUserPlan(tx, userId);
    const used = await photoBytesInUse(tx, userId, now, recipeId);
    if (used + size > plan.photoStorageBytes) {
      throw new UploadRefusedError(
        "limit-reached",
        `The ${plan.name} plan holds ${Math.round(plan.photoStorageBytes / 1024 / 1024)} MiB of photos. Remove a photo or upgrade.`,
      );
    }
    await tx.insert(uploads).values({
      key,
      userId,
      recipeId,
      contentType,
      size,
      status: "pending",
      expiresAt: new Date(now.getTime() + expiresSeconds * 1000),
      createdAt: now,
    });
  });

  const post = await presignUpload(storage, { key, contentType, maxBytes: PHOTO_MAX_BYTES, expiresSeconds });
  return { ...post, key };
}

/** Why a stored object is not the photo its policy allowed, or null when it is. */
async function findObjectProblem(storage: Storage, upload: Upload): Promise<string | null> {
  const stored = await statObject(storage, upload.key);
  if (!stored) return "missing";
  if (stored.size < 1 || stored.size > PHOTO_MAX_BYTES) return "size";
  if (stored.contentType !== upload.contentType) return "content-type";
  // Only a bucket that enforces the policy's expiry refuses a late post; this catches it on the others.
  if (stored.lastModified && stored.lastModified.getTime() > upload.expiresAt.getTime() + CLOCK_SKEW_MS)
    return "expired";
  const sniffed = await fileTypeFromBuffer(await readObjectStart(storage, upload.key, SNIFF_BYTES));
  if (sniffed?.mime !== upload.contentType) return "not-an-image";
  return null;
}

/**
 * Step 2, after the browser posted the file: the stored object must be what
 * the policy allowed (HeadObject size and type, first bytes of that image
 * format). Then it becomes the recipe's photo and the one it replaces is
 * deleted. A bad or missing object is deleted with its row (422).
 */
export async function completePhotoUpload(db: Executor, userId: string, key: string) {
  if (!ownsKey(userId, key)) throw new UploadRefusedError("upload-not-found", "No such upload.");
  const storage = await requireStorage();
  const [upload] = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.key, key), eq(uploads.userId, userId)));
  if (!upload) throw new UploadRefusedError("upload-not-found", "No such upload.");
  if (upload.status === "attached") return { uploadId: upload.id, recipeId: upload.recipeId };

  const problem = await findObjectProblem(storage, upload);
  if (problem) {
    await discardUploads(db, storage, [upload]);
    logger.info({ uploadId: upload.id, userId, reason: problem }, "upload refused at completion");
    throw new UploadRefusedError(
      "bad-object",
      problem === "missing"
        ? "The file never arrived. Please upload it again."
        : "That file is not a JPEG, PNG or WebP photo of at most 5 MiB.",
    );
  }

  const replaced = await db.transaction(async (tx) => {
    // Lock the recipe: two completions for one recipe attach one after the other.
    const [recipe] = upload.recipeId
      ? await tx
          .select({ id: recipes.id })
          .from(recipes)
          .where(and(eq(recipes.id, upload.recipeId), eq(recipes.userId, userId)))
          .for("update")
      : [];
    if (!recipe) return null;
    const previous = await tx
      .select()
      .from(uploads)
      .where(and(eq(uploads.recipeId, recipe.id), eq(uploads.status, "attached")));
    // Detached rows (no recipe) are what the cleanup deletes, should the deletion below fail.
    if (previous.length)
      await tx
        .update(uploads)
        .set({ recipeId: null })
        .where(
          inArray(
            uploads.id,
            previous.map((row) => row.id),
          ),
        );
    await tx.update(uploads).set({ status: "attached" }).where(eq(uploads.id, upload.id));
    return previous;
  });
  if (!replaced) {
    await discardUploads(db, storage, [upload]);
    throw new UploadRefusedError("recipe-not-found", "That recipe does not exist or is not yours.");
  }
  await discardUploadsQuietly(db, storage, replaced);
  return { uploadId: upload.id, recipeId: upload.recipeId };
}

/** Deletes the objects, then their rows (a failure leaves the rows for the cleanup to retry). */
async function discardUploads(db: Executor, storage: Storage, rows: Pick<Upload, "id" | "key">[]) {
  if (!rows.length) return;
  await deleteObjects(
    storage,
    rows.map((row) => row.key),
  );
  await db.delete(uploads).where(
    inArray(
      uploads.id,
      rows.map((row) => row.id),
    ),
  );
}

async function discardUploadsQuietly(db: Executor, storage: Storage, rows: Pick<Upload, "id" | "key">[]) {
  try {
    await discardUploads(db, storage, rows);
  } catch (error) {
    logger.warn({ err: error, uploadIds: rows.map((row) => row.id) }, "photo deletion failed: the cleanup retries it");
  }
}

/** Removes a recipe's photo (the "Remove photo" button). */
export async function removeRecipePhoto(db: Executor, userId: string, recipeId: string) {
  const rows = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.recipeId, recipeId), eq(uploads.userId, userId), eq(uploads.status, "attached")));
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
export async function removeDetachedPhotos(db: Executor, userId: string) {
  const rows = await db
    .select({ id: uploads.id, key: uploads.key })
    .from(uploads)
    .where(and(eq(uploads.userId, userId), isNull(uploads.recipeId)));
  if (!rows.length) return;
  const storage = await getStorage().catch(() => null);
  if (storage) await discardUploadsQuietly(db, storage, rows);
}

/**
 * For account deletion (call it BEFORE deleting the user row, whose cascade
 * would drop these rows): deletes every object of the user, then the rows.
 * Throws if the bucket cannot be reached, so the caller can retry.
 */
export async function deleteUserUploads(db: Executor, userId: string): Promise<number> {
  const rows = await db.select({ id: uploads.id, key: uploads.key }).from(uploads).where(eq(uploads.userId, userId));
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

/** Each recipe's photo (upload id), for the pages that list recipes. */
export async function photoIdsForRecipes(db: Executor, recipeIds: string[]): Promise<Map<string, string>> {
  if (!recipeIds.length) return new Map();
  const rows = await db
    .select({ id: uploads.id, recipeId: uploads.recipeId })
    .from(uploads)
    .where(and(inArray(uploads.recipeId, recipeIds), eq(uploads.status, "attached")));
  return new Map(rows.map((row) => [row.recipeId!, row.id]));
}

/** Where a page links a photo: this app's URL, which redirects to a freshly signed one. */
export const photoPath = (uploadId: string) => `/api/photos/${uploadId}`;

/**
 * A short-lived signed URL for a photo the viewer may see (their own, or on a
 * published recipe); null otherwise, so others' private photos look missing.
 */
export async function signedPhotoUrl(db: Executor, uploadId: string, viewerId: string | null) {
  const [photo] = await db
    .select({ key: uploads.key, ownerId: uploads.userId, published: recipes.published })
    .from(uploads)
    .innerJoin(recipes, eq(recipes.id, uploads.recipeId))
    .where(and(eq(uploads.id, uploadId), eq(uploads.status, "attached")));
  if (!photo || (!photo.published && photo.ownerId !== viewerId)) return null;
  const storage = await getStorage();
  return storage ? presignDownload(storage, photo.key, PHOTO_URL_SECONDS) : null;
}
