import { cn } from "@/components/ui/cn";
import { photoPath, photoUploadsAvailable } from "@/lib/uploads";

/**
 * A recipe's photo. A plain img, not next/image: its address (/api/photos/<id>)
 * checks who may see it and redirects to a short-lived signed URL, which the
 * image optimizer must not cache. The address itself is stable, so pages that
 * are cached (/) never hold an expired link. Nothing when photo storage is off
 * (production without S3_BUCKET): the address could only answer with an error,
 * which the browser shows as a broken image.
 */
export function RecipePhoto({ uploadId, title, className }: { uploadId: string; title: string; className?: string }) {
  if (!photoUploadsAvailable) return null;
  const classes = cn("rounded-md object-cover", className);
  // eslint-disable-next-line @next/next/no-img-element
  return <img src={photoPath(uploadId)} alt={`Photo of ${title}`} className={classes} />;
}
