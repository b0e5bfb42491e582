import { z } from "zod";

/** Shared by the routes and the photo picker: what a recipe photo may be. */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

export const isPhotoType = (type: string): type is PhotoType => (PHOTO_TYPES as readonly string[]).includes(type);

/** Size and type are checked by the lib (413, 415), so here they only need their shapes. */
export const uploadRequest = z.object({
  recipeId: z.uuid({ error: "Unknown recipe." }),
  contentType: z.string().trim().toLowerCase().min(1, { error: "Say what type of file this is." }).max(100),
  size: z.number({ error: "Give the file size in bytes." }).int().positive({ error: "The file is empty." }),
});
export type UploadRequest = z.output<typeof uploadRequest>;

export const uploadCompletion = z.object({
  key: z.string().min(1, { error: "Give the key of the upload." }).max(200),
});

/** Both JSON bodies are tiny. */
export const UPLOAD_BODY_MAX_BYTES = 1024;
