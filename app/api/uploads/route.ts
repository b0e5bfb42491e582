import { signedIn } from "@/lib/auth";
import { db } from "@/lib/db";
import { readJsonInput, route } from "@/lib/http";
import { requestPhotoUpload } from "@/lib/uploads";
import { UPLOAD_BODY_MAX_BYTES, uploadRequest } from "@/lib/uploads/schema";

/**
 * Signs a presigned POST for one photo of one of the caller's recipes. The
 * browser then posts the file straight to the bucket; the server never carries it.
 */
export const POST = route({ authenticate: signedIn("Sign in to upload photos.") }, async ({ req, caller: session }) =>
  requestPhotoUpload(db, session.user.id, await readJsonInput(req, uploadRequest, UPLOAD_BODY_MAX_BYTES)),
);
