/**
 * Recipe photos: the browser posts the file straight to the bucket with a presigned POST
 * (`request.ts`), the server checks what arrived and moves it where no policy writes before linking
 * it (`complete.ts`), the app serves photos with the checked type (`photos.ts`), and what nothing holds any more is
 * deleted with its object (`cleanup.ts`). Refusals are `UploadRefusedError`s (`errors.ts`).
 */
export { UploadRefusedError, type UploadRefusal } from "./errors";
export {
  getPhotoUsage,
  MAX_PENDING_UPLOADS,
  photoUploadsAvailable,
  requestPhotoUpload,
  UPLOAD_POLICY_SECONDS,
} from "./request";
export type { PhotoUsage } from "./request";
export { completePhotoUpload } from "./complete";
export {
  deleteTeamUploads,
  removeDetachedPhotos,
  removeRecipePhoto,
  removeStaleUploads,
  STALE_UPLOAD_MS,
  type StaleUploadCounts,
} from "./cleanup";
export { openPhoto, PHOTO_CACHE_SECONDS, photoIdsForRecipes, photoPath, type PhotoBytes } from "./photos";
