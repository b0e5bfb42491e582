import { z } from "zod";
import { auth } from "@/lib/auth";
import { db } from "@/lib/db";
import { signedPhotoUrl } from "@/lib/uploads";

/**
 * A recipe photo: a redirect to a short-lived signed URL on the bucket, so
 * pages (even cached ones) link a stable address while objects stay private.
 */
export async function GET(req: Request, { params }: RouteContext<"/api/photos/[id]">) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return new Response(null, { status: 404 });
  const session = await auth.api.getSession({ headers: req.headers });
  const url = await signedPhotoUrl(db, id, session?.user.id ?? null);
  if (!url) return new Response(null, { status: 404 });
  // Cached a little less than the signed URL lives.
  return new Response(null, { status: 302, headers: { Location: url, "Cache-Control": "private, max-age=240" } });
}
