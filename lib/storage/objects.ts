import "server-only";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import path from "node:path";
import os from "node:os";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { logger } from "@/lib/core/logger";
import { LOCAL_S3, startLocalS3 } from "./local";
import { LOCAL_S3_DEFAULT_PORT } from "./origin";

/**
 * Object storage through the AWS SDK: AWS S3, Cloudflare R2, MinIO, Ceph…
 * configured by S3_*. Without S3_BUCKET, development and tests use a local
 * S3 server (./local.ts) and production has uploads off (`getStorage()` is null).
 */

export type StorageConfig = {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
};

export type Storage = { client: S3Client; bucket: string };

/** Each call to the bucket gives up after this long (the SDK retries twice first). */
export const STORAGE_TIMEOUT_MS = 10_000;

export function createStorage(config: StorageConfig): Storage {
  // `||`: an empty endpoint must mean AWS, never a request to "".
  const endpoint = config.endpoint || undefined;
  const client = new S3Client({
    region: config.region,
    endpoint,
    // Non-AWS servers want /bucket/key URLs; `bucket.localhost` does not even resolve.
    forcePathStyle: Boolean(endpoint),
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // The SDK's default CRC checksums break streamed writes on R2, MinIO and the local servers.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: STORAGE_TIMEOUT_MS },
  });
  return { client, bucket: config.bucket };
}

/** True when S3_* point at a real bucket (not the local default). */
export const storageConfigured = Boolean(env.S3_BUCKET);

/** Whether this server can take photos at all: a bucket, or the local default outside production. */
export const storageAvailable = storageConfigured || !env.isProduction;

const shared = globalThis as unknown as { __storage?: Promise<Storage | null> };

/**
 * The app's bucket, or null in production without S3_BUCKET. Outside
 * production the local server starts on first use, once per process (kept on
 * globalThis so dev reloads reuse it), with the CORS rules browser uploads need.
 */
export function getStorage(): Promise<Storage | null> {
  shared.__storage ??= openStorage().catch((error) => {
    shared.__storage = undefined;
    throw error;
  });
  return shared.__storage;
}

async function openStorage(): Promise<Storage | null> {
  if (env.S3_BUCKET) {
    return createStorage({
      bucket: env.S3_BUCKET,
      region: env.S3_REGION || "us-east-1",
      endpoint: env.S3_ENDPOINT || undefined,
      accessKeyId: env.S3_ACCESS_KEY_ID ?? "",
      secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? "",
    });
  }
  if (env.isProduction) return null;
  // Tests take any free port and a throw-away folder; `npm run dev` a fixed port (the CSP names it) and .data/s3.
  const local = await startLocalS3(
    env.isTest
      ? { port: 0, directory: path.join(os.tmpdir(), `recipe-box-s3-${process.pid}`) }
      : { port: env.S3_LOCAL_PORT ?? LOCAL_S3_DEFAULT_PORT, directory: path.join(process.cwd(), ".data", "s3") },
  );
  const storage = createStorage({ ...LOCAL_S3, endpoint: local.endpoint });
  await prepareBucket(storage, [env.appUrl]);
  logger.info({ endpoint: local.endpoint, bucket: LOCAL_S3.bucket }, "local S3 server started for recipe photos");
  return storage;
}

/**
 * Creates the bucket if it is missing and lets the app's origins POST to it
 * and read from it (CORS). The project does this for local servers; for S3
 * and R2 the README gives the same rules to set once.
 */
export async function prepareBucket(storage: Storage, allowedOrigins: string[]) {
  const { client, bucket } = storage;
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  await client.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: allowedOrigins,
            AllowedMethods: ["POST", "GET"],
            AllowedHeaders: ["*"],
            MaxAgeSeconds: 3600,
          },
        ],
      },
    }),
  );
}

export type PresignedUpload = { url: string; fields: Record<string, string> };

/**
 * A presigned POST for exactly one key: the bucket refuses (where it enforces
 * policies, as S3, R2 and Ceph do) a body outside 1..maxBytes, another
 * Content-Type, another key, or a post after `expiresSeconds`.
 */
export function presignUpload(
  storage: Storage,
  {
    key,
    contentType,
    maxBytes,
    expiresSeconds,
  }: { key: string; contentType: string; maxBytes: number; expiresSeconds: number },
): Promise<PresignedUpload> {
  return createPresignedPost(storage.client, {
    Bucket: storage.bucket,
    Key: key,
    Conditions: [
      ["content-length-range", 1, maxBytes],
      ["eq", "$Content-Type", contentType],
    ],
    Fields: { "Content-Type": contentType },
    Expires: expiresSeconds,
  });
}

export type StoredObject = {
  size: number;
  contentType: string | undefined;
  lastModified: Date | undefined;
  /** The bucket's name for this version of the bytes: a copy made `ifMatch` it copies exactly them. */
  etag: string | undefined;
};

/** HeadObject: what the bucket holds under `key`, or null when nothing does. */
export async function statObject(storage: Storage, key: string): Promise<StoredObject | null> {
  try {
    const head = await reach(() => storage.client.send(new HeadObjectCommand({ Bucket: storage.bucket, Key: key })));
    return {
      size: head.ContentLength ?? 0,
      contentType: head.ContentType,
      lastModified: head.LastModified,
      etag: head.ETag,
    };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** The object's first `length` bytes (a ranged GET): enough to recognise an image format. */
export async function readObjectStart(storage: Storage, key: string, length: number): Promise<Uint8Array> {
  const object = await reach(() =>
    storage.client.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key, Range: `bytes=0-${length - 1}` })),
  );
  const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
  // A server that ignores Range sends everything; only the start matters.
  return bytes.subarray(0, length);
}

/** Deletes each key; a key already gone counts as deleted, and so does every key of a bucket that does not exist. */
export async function deleteObjects(storage: Storage, keys: string[]): Promise<void> {
  await Promise.all(
    keys.map((key) =>
      reach(() => storage.client.send(new DeleteObjectCommand({ Bucket: storage.bucket, Key: key }))).catch(
        (error: unknown) => {
          if (!isMissingBucket(error)) throw error;
        },
      ),
    ),
  );
}

/** Deletes every object whose key starts with `prefix` (e.g. `<userId>/`); returns how many there were. */
export async function deleteObjectsUnder(storage: Storage, prefix: string): Promise<number> {
  let deleted = 0;
  let continuationToken: string | undefined;
  do {
    let page;
    try {
      page = await reach(() =>
        storage.client.send(
          new ListObjectsV2Command({ Bucket: storage.bucket, Prefix: prefix, ContinuationToken: continuationToken }),
        ),
      );
    } catch (error) {
      // No bucket yet (nothing was ever uploaded to it): nothing under the prefix to delete.
      if (isMissingBucket(error)) return deleted;
      throw error;
    }
    const keys = (page.Contents ?? []).map((object) => object.Key!).filter(Boolean);
    await deleteObjects(storage, keys);
    deleted += keys.length;
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
  return deleted;
}

/**
 * Copies `from` to `to`, stored with `contentType`, and only if `from` still holds the bytes named by
 * `ifMatch` (its ETag when it was checked): false when it changed since (S3, R2 and Ceph refuse the
 * copy; s3rver ignores the condition). Throws the SDK's NoSuchKey when `from` is gone.
 */
export async function copyObject(
  storage: Storage,
  { from, to, ifMatch, contentType }: { from: string; to: string; ifMatch?: string; contentType: string },
): Promise<boolean> {
  try {
    await reach(() =>
      storage.client.send(
        new CopyObjectCommand({
          Bucket: storage.bucket,
          Key: to,
          CopySource: `${storage.bucket}/${from.split("/").map(encodeURIComponent).join("/")}`,
          CopySourceIfMatch: ifMatch,
          MetadataDirective: "REPLACE",
          ContentType: contentType,
        }),
      ),
    );
    return true;
  } catch (error) {
    if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412) return false;
    throw error;
  }
}

/** The object's bytes as a stream, with its size; null when nothing is stored under `key`. */
export async function readObject(
  storage: Storage,
  key: string,
): Promise<{ body: ReadableStream<Uint8Array>; size: number | undefined } | null> {
  try {
    const object = await reach(() => storage.client.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key })));
    if (!object.Body) return null;
    return { body: object.Body.transformToWebStream() as ReadableStream<Uint8Array>, size: object.ContentLength };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** The bucket cannot be reached, or failed on its side (5xx): the caller answers 503 and the client retries. */
export class StorageUnavailableError extends AppError {
  constructor(cause: unknown) {
    super("unavailable", "Photo storage is not reachable right now. Please try again in a minute.", {
      reason: "storage-unavailable",
      retryAfterSeconds: 60,
      cause,
    });
    this.name = "StorageUnavailableError";
  }
}

/**
 * Every call to the bucket: an answer of the bucket's own (not found, forbidden) is thrown as the
 * SDK's exception for the caller to judge; no answer, or a 5xx, is `StorageUnavailableError`.
 */
async function reach<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
    if (status !== undefined && status < 500) throw error;
    throw new StorageUnavailableError(error);
  }
}

function isMissingBucket(error: unknown) {
  return error instanceof S3ServiceException && error.name === "NoSuchBucket";
}

function isNotFound(error: unknown) {
  return (
    error instanceof S3ServiceException &&
    (error.$metadata.httpStatusCode === 404 || error.name === "NotFound" || error.name === "NoSuchKey")
  );
}
