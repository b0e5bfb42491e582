import { z } from "zod";
import { anyone } from "@/lib/auth";
import { AppError } from "@/lib/core/errors";
import { db } from "@/lib/db";
import { route } from "@/lib/http";
import { openPhoto, PHOTO_CACHE_SECONDS } from "@/lib/uploads";

const notFound = () => new AppError("not-found", "No such photo.", { reason: "photo-not-found" });

/**
 * A recipe photo: the bytes completion checked, served as the type it checked, never sniffed into
 * anything else, and shown inline as a file named for what it is. Pages (even cached ones) link this
 * stable address while the objects stay private in the bucket.
 */
export const GET = route<Awaited<ReturnType<typeof anyone>>, { id: string }>(
  { authenticate: anyone },
  async ({ params, caller: session }) => {
    if (!z.uuid().safeParse(params.id).success) throw notFound();
    const photo = await openPhoto(db, params.id, session?.user.id ?? null);
    if (!photo) throw notFound();
    return new Response(photo.body, {
      headers: {
        "content-type": photo.contentType,
        ...(photo.size !== undefined && { "content-length": String(photo.size) }),
        "x-content-type-options": "nosniff",
        "content-disposition": `inline; filename="${photo.filename}"`,
        "cache-control": `private, max-age=${PHOTO_CACHE_SECONDS}`,
      },
    });
  },
);
