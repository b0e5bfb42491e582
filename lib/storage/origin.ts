/**
 * The origin the browser talks to for uploads (presigned POST) and photos
 * (presigned GET): the only origin the Content-Security-Policy adds. Pure, so
 * next.config.ts can compute the policy at build time from the same rules.
 */
export const LOCAL_S3_DEFAULT_PORT = 4568;

export type BucketLocation = {
  S3_BUCKET?: string;
  S3_REGION?: string;
  S3_ENDPOINT?: string;
  S3_LOCAL_PORT?: string | number;
  NODE_ENV?: string;
};

export function bucketOrigin(vars: BucketLocation): string | null {
  // `||`, not `??`: an empty S3_ENDPOINT means AWS, not "no endpoint".
  const endpoint = vars.S3_ENDPOINT?.trim() || undefined;
  const bucket = vars.S3_BUCKET?.trim() || undefined;
  if (bucket && endpoint) return new URL(endpoint).origin;
  // AWS: virtual-hosted style, the bucket is part of the host name.
  if (bucket) return `https://${bucket}.s3.${vars.S3_REGION?.trim() || "us-east-1"}.amazonaws.com`;
  if (vars.NODE_ENV === "production") return null;
  return `http://localhost:${Number(vars.S3_LOCAL_PORT) || LOCAL_S3_DEFAULT_PORT}`;
}
