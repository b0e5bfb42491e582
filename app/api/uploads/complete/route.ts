import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { PUBLISHED_LIST_PATH } from "@/lib/recipes";
import { completePhotoUpload, photoPath } from "@/lib/uploads";
import { uploadCompletion } from "@/lib/uploads/schema";
import { parseSignedInJson, refusalResponse } from "../json";

/** After the browser's upload: the stored object is checked, then linked to the recipe (422 and deleted if bad). */
export async function POST(req: Request) {
  const parsed = await parseSignedInJson(req, uploadCompletion);
  if ("response" in parsed) return parsed.response;
  try {
    const { uploadId, recipeId } = await completePhotoUpload(db, parsed.userId, parsed.input.key);
    // The dashboard and, for a published recipe, the landing page show the new photo.
    revalidatePath("/dashboard");
    revalidatePath(PUBLISHED_LIST_PATH);
    return Response.json({ ok: true, recipeId, photoUrl: photoPath(uploadId) });
  } catch (error) {
    return refusalResponse(req, error);
  }
}
