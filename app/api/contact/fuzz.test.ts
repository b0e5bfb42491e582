import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyBody, anyContentType, fuzzRuns, headerValue } from "@/tests/support/fuzz";
import { POST } from "./route";

const contractCodes = [200, 400, 413, 415, 429];

const contactLike = fc
  .record(
    {
      name: fc.oneof(fc.string({ maxLength: 150 }), fc.integer(), fc.constant(null)),
      email: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 60 })),
      subject: fc.string({ maxLength: 200 }),
      message: fc.string({ maxLength: 6000 }),
      website: fc.oneof(fc.constant(""), fc.string({ maxLength: 20 })),
    },
    { requiredKeys: [] },
  )
  .map((value) => JSON.stringify(value));

const text = (min: number, max: number) =>
  fc.string({ minLength: min, maxLength: max }).filter((value) => value.trim().length >= min);

/** Bodies that pass validation, so the property also covers storing and queueing. */
const validContact = fc
  .record({ name: text(1, 100), email: fc.emailAddress(), subject: text(1, 150), message: text(10, 2000) })
  .map((value) => JSON.stringify(value));

describe("POST /api/contact under random input", () => {
  it("always answers with one of the contract's codes, never a 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(anyBody, contactLike, validContact),
        fc.oneof(anyContentType, fc.constant("application/json")),
        headerValue,
        fc.ipV4(),
        async (body, contentType, requestId, ip) => {
          const response = await POST(
            new Request("http://localhost/api/contact", {
              method: "POST",
              headers: { "content-type": contentType, "x-request-id": requestId, "x-forwarded-for": ip },
              body,
            }),
          );
          expect(contractCodes).toContain(response.status);
          // Every answer is JSON a client can read.
          expect(await response.json()).toEqual(expect.any(Object));
        },
      ),
      fuzzRuns,
    );
  });
});
