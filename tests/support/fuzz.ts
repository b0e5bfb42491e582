import fc from "fast-check";

/** Printable header values (what a real client can put on the wire). */
export const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,120}$/);

/** Request bodies a hostile or broken client might send: text, JSON of any shape, raw bytes. */
export const anyBody = fc.oneof(
  fc.string({ maxLength: 500 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.uint8Array({ maxLength: 500 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom("", "{", "null", "[]", '{"id":', "\u0000", "{}".padEnd(40_000, " ")),
);

export const anyContentType = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "",
  ),
  headerValue,
);

/** How many cases each property tries: enough to find edge cases, modest enough for two cores. */
export const fuzzRuns = { numRuns: 150 };
