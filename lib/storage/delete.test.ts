import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import {
  createStorage,
  deleteObjects,
  deleteObjectsUnder,
  prepareBucket,
  statObject,
  StorageUnavailableError,
  type Storage,
} from "./index";
import { LOCAL_S3, startLocalS3, type LocalS3 } from "./local";

/** Against s3rver, the local default, speaking S3's wire protocol. */
let server: LocalS3;
let directory: string;
beforeAll(async () => {
  directory = mkdtempSync(path.join(os.tmpdir(), "storage-delete-"));
  server = await startLocalS3({ port: 0, directory });
});
afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

const storageFor = (bucket: string): Storage => createStorage({ ...LOCAL_S3, bucket, endpoint: server.endpoint });

describe("deleting a user's objects", () => {
  it("deletes every object under the prefix and leaves the rest", async () => {
    const storage = storageFor("delete-prefix");
    await prepareBucket(storage, ["http://localhost:3000"]);
    for (const key of ["user-a/1.png", "user-a/2.png", "user-b/1.png"])
      await storage.client.send(new PutObjectCommand({ Bucket: storage.bucket, Key: key, Body: key }));
    expect(await deleteObjectsUnder(storage, "user-a/")).toBe(2);
    expect(await deleteObjectsUnder(storage, "user-a/")).toBe(0);
    expect(await deleteObjectsUnder(storage, "user-b/")).toBe(1);
  });

  // An account deleted before anyone uploaded a photo: the configured bucket may not exist yet.
  it("finds nothing to delete, rather than failing, when the bucket does not exist", async () => {
    const storage = storageFor("never-created");
    expect(await deleteObjectsUnder(storage, "user-a/")).toBe(0);
    await expect(deleteObjects(storage, ["user-a/1.png"])).resolves.toBeUndefined();
  });
});

describe("a bucket that does not answer", () => {
  // Nothing listens on port 1: every call fails before the bucket says anything.
  const unreachable = createStorage({ ...LOCAL_S3, endpoint: "http://127.0.0.1:1" });

  it("is StorageUnavailableError (a 503 and Retry-After at a route), not the SDK's raw error", async () => {
    const refusal = statObject(unreachable, "user-a/1.png");
    await expect(refusal).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(refusal).rejects.toMatchObject({ kind: "unavailable", reason: "storage-unavailable" });
    await expect(deleteObjects(unreachable, ["user-a/1.png"])).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it("still tells a missing object apart: the bucket answered, with a 404", async () => {
    const storage = storageFor("delete-prefix");
    await prepareBucket(storage, ["http://localhost:3000"]);
    expect(await statObject(storage, "nobody/nothing.png")).toBeNull();
  });
});
