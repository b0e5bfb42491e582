import { afterAll, beforeAll, describe, vi } from "vitest";
import { radosgwInstalled, startRadosgw, type Radosgw } from "@/tests/support/radosgw";
import { describeUploadContract } from "@/tests/support/upload-contract";

/**
 * The upload contract against Ceph radosgw: a real S3 implementation that,
 * like AWS, refuses posts that break the signed policy (size, type, key,
 * expiry). Runs where radosgw is installed (scripts/radosgw.sh install);
 * CI installs it, so there these always run.
 */
const available = (await radosgwInstalled()) || Boolean(process.env.CI);
if (!available)
  console.log("[tests] radosgw not installed: skipping the radosgw upload tests (scripts/radosgw.sh install)");

describe.runIf(available)("radosgw", () => {
  let radosgw: Radosgw;
  const bucket = `recipe-box-test-${Date.now().toString(36)}-${process.pid}`;

  beforeAll(async () => {
    radosgw = await startRadosgw();
  }, 120_000);
  afterAll(async () => radosgw?.stop());

  describeUploadContract({
    name: "Ceph radosgw (enforces the POST policy)",
    enforcesPolicy: true,
    configure: () => {
      vi.stubEnv("S3_BUCKET", bucket);
      vi.stubEnv("S3_REGION", radosgw.region);
      vi.stubEnv("S3_ENDPOINT", radosgw.endpoint);
      vi.stubEnv("S3_ACCESS_KEY_ID", radosgw.accessKeyId);
      vi.stubEnv("S3_SECRET_ACCESS_KEY", radosgw.secretAccessKey);
    },
    createBucket: true,
  });
});
