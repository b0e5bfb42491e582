import { db } from "@/lib/db";
import { requestPhotoUpload } from "@/lib/uploads";
import { uploadRequest } from "@/lib/uploads/schema";
import { parseSignedInJson, refusalResponse } from "./json";

/**
 * Signs a presigned POST for one photo of one of the caller's recipes. The
 * browser then posts the file straight to the bucket; the server never carries it.
 */
export async function POST(req: Request) {
  const parsed = await parseSignedInJson(req, uploadRequest);
  if ("response" in parsed) return parsed.response;
  try {
    return Response.json(await requestPhotoUpload(db, parsed.userId, parsed.input));
  } catch (error) {
    return refusalResponse(req, error);
  }
}
