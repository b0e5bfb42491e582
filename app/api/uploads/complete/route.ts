import { revalidatePath } from "next/cache";
import { signedIn } from "@/lib/auth";
import { db } from "@/lib/db";
import { readJsonInput, route } from "@/lib/http";
import { PUBLISHED_LIST_PATH } from "@/lib/recipes";
import { completePhotoUpload, photoPath } from "@/lib/uploads";
import { UPLOAD_BODY_MAX_BYTES, uploadCompletion } from "@/lib/uploads/schema";

/** After the browser's upload: the stored object is checked, then linked to the recipe (422 and deleted if bad). */
export const POST = route({ authenticate: signedIn("Sign in to upload photos.") }, async ({ req, caller: session }) => {
  const { key } = await readJsonInput(req, uploadCompletion, UPLOAD_BODY_MAX_BYTES);
  const { uploadId, recipeId } = await completePhotoUpload(db, session.user.id, key);
  // The dashboard and, for a published recipe, the landing page show the new photo.
  revalidatePath("/dashboard");
  revalidatePath(PUBLISHED_LIST_PATH);
  return { ok: true, recipeId, photoUrl: photoPath(uploadId) };
});
