import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import { logger } from "@/lib/core/logger";
import { schema, type Executor } from "@/lib/db";
import type { Upload } from "@/lib/db/schema";
import { copyObject, deleteObjects, readObjectStart, statObject, type Storage } from "@/lib/storage";
import { discardUploads, discardUploadsQuietly } from "./cleanup";
import { checkedPhotoKey, requireStorage, UploadRefusedError } from "./errors";
import { mayChangeRecipe } from "@/lib/teams/roles";
import { PHOTO_MAX_BYTES } from "./schema";

const { recipes, uploads } = schema;

/** Clocks differ a little between the app and the bucket. */
const CLOCK_SKEW_MS = 5_000;
/** file-type's recommended sample: enough bytes to recognise any format it knows. */
const SNIFF_BYTES = 4100;

/** Why a stored object is not the photo its policy allowed (or null when it is), and its ETag. */
async function findObjectProblem(storage: Storage, upload: Upload) {
  const stored = await statObject(storage, upload.key);
  if (!stored) return { problem: "missing" };
  if (stored.size < 1 || stored.size > PHOTO_MAX_BYTES) return { problem: "size" };
  if (stored.contentType !== upload.contentType) return { problem: "content-type" };
  // Only a bucket that enforces the policy's expiry refuses a late post; this catches it on the others.
  if (stored.lastModified && stored.lastModified.getTime() > upload.expiresAt.getTime() + CLOCK_SKEW_MS)
    return { problem: "expired" };
  const sniffed = await fileTypeFromBuffer(await readObjectStart(storage, upload.key, SNIFF_BYTES));
  if (sniffed?.mime !== upload.contentType) return { problem: "not-an-image" };
  return { problem: null, etag: stored.etag };
}

/**
 * Moves the checked bytes to the key the photo is shown from (`checkedPhotoKey`), which no policy
 * names: posting the upload's policy again cannot replace them. The copy is made only if the object
 * is still the one checked (its ETag); false when it changed in between.
 */
async function keepCheckedPhoto(storage: Storage, upload: Upload, etag: string | undefined) {
  const copied = await copyObject(storage, {
    from: upload.key,
    to: checkedPhotoKey(upload.key),
    ifMatch: etag,
    contentType: upload.contentType,
  });
  if (copied) await deleteObjects(storage, [upload.key]);
  return copied;
}

/**
 * Step 2, after the browser posted the file: the stored object must be what
 * the policy allowed (HeadObject size and type, first bytes of that image
 * format). Then it is moved where no policy can write (`keepCheckedPhoto`),
 * becomes the recipe's photo, and the one it replaces is deleted. A bad or
 * missing object is deleted with its row (422).
 */
export async function completePhotoUpload(db: Executor, userId: string, key: string) {
  const storage = await requireStorage();
  const [upload] = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.key, key), eq(uploads.userId, userId)));
  if (!upload) throw new UploadRefusedError("upload-not-found", "No such upload.");
  if (upload.status === "attached") return { uploadId: upload.id, recipeId: upload.recipeId };

  const checked = await findObjectProblem(storage, upload);
  const problem = checked.problem ?? ((await keepCheckedPhoto(storage, upload, checked.etag)) ? null : "changed");
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
    // Lock the recipe, if the uploader may still change it: two completions for one recipe attach one after the other.
    const [recipe] = upload.recipeId
      ? await tx
          .select({ id: recipes.id })
          .from(recipes)
          .where(
            and(
              eq(recipes.id, upload.recipeId),
              eq(recipes.organizationId, upload.organizationId),
              mayChangeRecipe(userId),
            ),
          )
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
