import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { memberMay } from "@/lib/teams/roles";
import { schema, type Executor } from "@/lib/db";
import { getStorage, readObject } from "@/lib/storage";
import { checkedPhotoKey } from "./errors";

const { recipes, uploads } = schema;

/** How long a browser may keep a photo before asking again (it may stop being visible: unpublished, removed). */
export const PHOTO_CACHE_SECONDS = 300;

/** Each recipe's photo (upload id), for the pages that list recipes. */
export async function photoIdsForRecipes(db: Executor, recipeIds: string[]): Promise<Map<string, string>> {
  if (!recipeIds.length) return new Map();
  const rows = await db
    .select({ id: uploads.id, recipeId: uploads.recipeId })
    .from(uploads)
    .where(and(inArray(uploads.recipeId, recipeIds), eq(uploads.status, "attached")));
  return new Map(rows.map((row) => [row.recipeId!, row.id]));
}

/** Where a page links a photo: this app's URL, which serves the checked bytes. */
export const photoPath = (uploadId: string) => `/api/photos/${uploadId}`;

const extensions: Record<string, string> = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };

export type PhotoBytes = {
  body: ReadableStream<Uint8Array>;
  size: number | undefined;
  /** The type completion checked (the first bytes are that image format), not what the bucket says. */
  contentType: string;
  filename: string;
};

/**
 * A photo the viewer may see (on a published recipe, or one of their team's), read from the key only
 * completion writes (`checkedPhotoKey`); null otherwise, so others' private photos look missing. The app
 * serves the bytes itself, with the checked type, rather than sending the browser to the bucket, which
 * answers with whatever Content-Type the object was stored with.
 */
export async function openPhoto(db: Executor, uploadId: string, viewerId: string | null): Promise<PhotoBytes | null> {
  const [photo] = await db
    .select({
      key: uploads.key,
      contentType: uploads.contentType,
      published: recipes.published,
      teamMember: viewerId ? memberMay(recipes.organizationId, viewerId, "recipes:write") : sql<boolean>`false`,
    })
    .from(uploads)
    .innerJoin(recipes, eq(recipes.id, uploads.recipeId))
    .where(and(eq(uploads.id, uploadId), eq(uploads.status, "attached")));
  if (!photo || (!photo.published && !photo.teamMember)) return null;
  const storage = await getStorage();
  const object = storage && (await readObject(storage, checkedPhotoKey(photo.key)));
  if (!object) return null;
  const filename = `photo-${uploadId}.${extensions[photo.contentType] ?? "img"}`;
  return { ...object, contentType: photo.contentType, filename };
}
