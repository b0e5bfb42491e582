import { photoPath } from "@/lib/uploads";

/**
 * A recipe's photo. A plain img, not next/image: its address (/api/photos/<id>)
 * checks who may see it and redirects to a short-lived signed URL, which the
 * image optimizer must not cache. The address itself is stable, so pages that
 * are cached (/) never hold an expired link.
 */
export function RecipePhoto({ uploadId, title, className }: { uploadId: string; title: string; className: string }) {
  // eslint-disable-next-line @next/next/no-img-element
  return <img src={photoPath(uploadId)} alt={`Photo of ${title}`} className={className} />;
}
