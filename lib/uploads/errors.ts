import "server-only";
import { AppError, type ErrorKind } from "@/lib/core/errors";
import { getStorage, type Storage } from "@/lib/storage";

export type UploadRefusal =
  | "not-configured"
  | "recipe-not-found"
  | "upload-not-found"
  | "too-large"
  | "unsupported-type"
  | "limit-reached"
  | "bad-object";

const kindOf: Record<UploadRefusal, ErrorKind> = {
  "not-configured": "unavailable",
  "recipe-not-found": "not-found",
  "upload-not-found": "not-found",
  "too-large": "too-large",
  "unsupported-type": "unsupported-type",
  "limit-reached": "limit-reached",
  "bad-object": "unprocessable",
};

/** Why a photo was refused: `reason` says which refusal, its kind how a route answers it. */
export class UploadRefusedError extends AppError {
  constructor(
    override readonly reason: UploadRefusal,
    message: string,
  ) {
    // Unfinished uploads free up within a minute or so; storage that is not configured will not be.
    super(kindOf[reason], message, { reason, retryAfterSeconds: reason === "limit-reached" ? 60 : undefined });
    this.name = "UploadRefusedError";
  }
}

/** The app's bucket, or the `not-configured` refusal (production without S3_BUCKET). */
export async function requireStorage(): Promise<Storage> {
  const storage = await getStorage();
  if (!storage) throw new UploadRefusedError("not-configured", "Photo uploads are not configured on this server.");
  return storage;
}

/** Keys are `<teamId>/<uuid>`: a policy is only ever signed for a key under the team whose recipe it is. */
export const keyFor = (teamId: string) => `${teamId}/${crypto.randomUUID()}`;

/**
 * Where a checked photo lives: `<teamId>/photos/<uuid>` for the upload `<teamId>/<uuid>`. Completion
 * copies the object there, so its presigned POST, which names only the upload's key and works for a
 * minute more, can never replace what was checked. Under the same prefix, so deleting the team's
 * folder takes it too.
 */
export const checkedPhotoKey = (key: string) => key.replace(/^([^/]+)\//, "$1/photos/");
