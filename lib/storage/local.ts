import "server-only";
import path from "node:path";

/**
 * The local default: s3rver, an S3-compatible server in this Node process,
 * so `npm run dev` runs the same presigned code path with no account. It
 * enforces none of the POST policy (size, type, expiry, signature): the
 * completion check in lib/uploads is what stops bad files here.
 */
export const LOCAL_S3 = {
  bucket: "recipe-photos",
  region: "us-east-1",
  // s3rver's fixed credentials; it only listens on localhost.
  accessKeyId: "S3RVER",
  secretAccessKey: "S3RVER",
} as const;

export type LocalS3 = { endpoint: string; close: () => Promise<void> };

export async function startLocalS3({ port, directory }: { port: number; directory: string }): Promise<LocalS3> {
  // Loaded only here, on the Node runtime outside production (it is in serverExternalPackages).
  const { default: S3rver } = await import("s3rver");
  const server = new S3rver({
    address: "localhost",
    port,
    directory: path.resolve(directory),
    silent: true,
    // Path-style URLs only: `bucket.localhost` does not resolve for Node's fetch.
    vhostBuckets: false,
  });
  const address = await server.run();
  return { endpoint: `http://localhost:${address.port}`, close: () => server.close() };
}
