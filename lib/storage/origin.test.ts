import { describe, expect, it } from "vitest";
import { bucketOrigin } from "./origin";

describe("bucketOrigin (the one origin the CSP adds for photos)", () => {
  it("is the endpoint's origin for S3-compatible services (path-style)", () => {
    expect(bucketOrigin({ S3_BUCKET: "photos", S3_ENDPOINT: "https://acc.r2.cloudflarestorage.com/some/path" })).toBe(
      "https://acc.r2.cloudflarestorage.com",
    );
  });

  it("is the bucket's virtual-hosted AWS origin without an endpoint, an empty one included", () => {
    expect(bucketOrigin({ S3_BUCKET: "photos", S3_REGION: "eu-west-1" })).toBe(
      "https://photos.s3.eu-west-1.amazonaws.com",
    );
    expect(bucketOrigin({ S3_BUCKET: "photos", S3_ENDPOINT: "", S3_REGION: "" })).toBe(
      "https://photos.s3.us-east-1.amazonaws.com",
    );
  });

  it("is the local server in development, and nothing in production without a bucket", () => {
    expect(bucketOrigin({ NODE_ENV: "development" })).toBe("http://localhost:4568");
    expect(bucketOrigin({ NODE_ENV: "development", S3_LOCAL_PORT: "5000" })).toBe("http://localhost:5000");
    expect(bucketOrigin({ NODE_ENV: "production" })).toBeNull();
  });
});
