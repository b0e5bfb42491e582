import { vi } from "vitest";
import { describeUploadContract } from "@/tests/support/upload-contract";

/**
 * The same contract against the local default `npm run dev` uses: s3rver,
 * started in this process, which checks none of the POST policy. Every bad
 * file it stores must still be caught by the completion check and deleted.
 */
describeUploadContract({
  name: "s3rver, the local default (enforces no POST policy)",
  enforcesPolicy: false,
  configure: () => {
    vi.stubEnv("S3_BUCKET", "");
  },
  createBucket: false,
});
